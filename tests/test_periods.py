from datetime import date

import pytest

from stratctl.periods import FinancialYear, Month, PeriodError, Quarter, parse_period, quarter_containing


def test_year_parses_and_prints() -> None:
    assert FinancialYear.parse("2021/22") == FinancialYear(2021)
    assert str(FinancialYear(1999)) == "1999/00"
    assert FinancialYear.parse("1999/00") == FinancialYear(1999)


@pytest.mark.parametrize("text", ["2021/23", "2021-22", "21/22", "2021/2022", "2021/21"])
def test_malformed_years_are_refused(text: str) -> None:
    with pytest.raises(PeriodError):
        FinancialYear.parse(text)


def test_second_half_mismatch_suggests_the_year() -> None:
    with pytest.raises(PeriodError, match="did you mean 2021/22"):
        FinancialYear.parse("2021/23")


@pytest.mark.parametrize(
    ("quarter", "first", "last"),
    [
        ("2021/22 Q1", date(2021, 4, 1), date(2021, 6, 30)),
        ("2021/22 Q2", date(2021, 7, 1), date(2021, 9, 30)),
        ("2021/22 Q3", date(2021, 10, 1), date(2021, 12, 31)),
        ("2021/22 Q4", date(2022, 1, 1), date(2022, 3, 31)),
        ("2023/24 Q4", date(2024, 1, 1), date(2024, 3, 31)),
    ],
)
def test_nhs_quarters_run_april_to_march(quarter: str, first: date, last: date) -> None:
    q = Quarter.parse(quarter)
    assert q.first_day() == first
    assert q.last_day() == last
    assert quarter_containing(first) == q
    assert quarter_containing(last) == q


def test_previous_of_q1_is_prior_years_q4() -> None:
    assert Quarter.parse("2021/22 Q1").previous() == Quarter.parse("2020/21 Q4")
    assert Quarter.parse("2020/21 Q4").next() == Quarter.parse("2021/22 Q1")


def test_quarters_order_chronologically_across_years() -> None:
    quarters = [Quarter.parse(q) for q in ["2022/23 Q1", "2021/22 Q4", "2021/22 Q1"]]
    assert [str(q) for q in sorted(quarters)] == ["2021/22 Q1", "2021/22 Q4", "2022/23 Q1"]


def test_a_january_start_month_shifts_the_quarters() -> None:
    q = Quarter.parse("2021/22 Q1")
    assert q.first_day(start_month=1) == date(2021, 1, 1)
    assert q.last_day(start_month=1) == date(2021, 3, 31)
    assert quarter_containing(date(2021, 12, 25), start_month=1) == Quarter.parse("2021/22 Q4")


@pytest.mark.parametrize("text", ["Q3", "2021/22 Q5", "2021/22Q3", "2021 Q3"])
def test_malformed_quarters_are_refused(text: str) -> None:
    with pytest.raises(PeriodError):
        Quarter.parse(text)


def test_quarters_compare_by_time_and_refuse_other_types() -> None:
    q3, q4 = Quarter.parse("2021/22 Q3"), Quarter.parse("2021/22 Q4")
    assert q3 < q4 and q3 <= q4 and q4 > q3 and q4 >= q3 and q3 <= q3 and not q3 < q3
    assert q3 == Quarter.parse("2021/22 Q3") and hash(q3) == hash(Quarter.parse("2021/22 Q3"))
    with pytest.raises(TypeError):
        _ = q3 < "2021/22 Q4"


def test_months_parse_print_and_fall_in_the_trusts_quarters() -> None:
    from stratctl.periods import Month, months_of

    march = Month.parse("2022-03")
    assert (str(march), march.first_day(), march.last_day()) == ("2022-03", date(2022, 3, 1), date(2022, 3, 31))
    assert march.next() == Month(2022, 4) and Month.from_index(march.index + 1) == Month(2022, 4)
    assert march.quarter() == Quarter.parse("2021/22 Q4") and march.financial_year() == FinancialYear(2021)
    # A January year: March is in the first quarter of the calendar year's financial year.
    assert march.quarter(1) == Quarter.parse("2022/23 Q1")
    assert months_of(Quarter.parse("2021/22 Q3")) == (Month(2021, 10), Month(2021, 11), Month(2021, 12))
    assert Month(2021, 12) < Month(2022, 1) and Month(2022, 2).last_day() == date(2022, 2, 28)


@pytest.mark.parametrize("text", ["2022-13", "2022-00", "2022-4", "22-04", "2022-04-01", "April 2022"])
def test_months_that_are_not_written_as_a_real_month_are_refused(text: str) -> None:
    from stratctl.periods import Month

    with pytest.raises(PeriodError):
        Month.parse(text)


@pytest.mark.parametrize("text", ["0000/01", "9999/00", "1947/48", "2200/01", "0001/02"])
def test_years_outside_what_stratctl_reads_are_refused(text: str) -> None:
    with pytest.raises(PeriodError, match="1948/49 to 2199/00"):
        FinancialYear.parse(text)
    with pytest.raises(PeriodError):
        Quarter.parse(f"{text} Q4")


@pytest.mark.parametrize("text", ["1948/49", "2199/00"])
def test_the_first_and_last_years_have_every_quarter_day(text: str) -> None:
    year = FinancialYear.parse(text)
    for number in (1, 4):
        quarter = year.quarter(number)
        assert quarter.first_day() <= quarter.last_day()
        assert quarter.previous().last_day() < quarter.first_day() < quarter.next().first_day()


@pytest.mark.parametrize("text", ["٢٠٢١/٢٢", "２０２１/２２", "2021/２２", "߂߀߂߁/߂߂"])
def test_digits_other_than_ascii_are_refused(text: str) -> None:
    with pytest.raises(PeriodError):
        FinancialYear.parse(text)
    with pytest.raises(PeriodError):
        Quarter.parse(f"{text} Q3")


@pytest.mark.parametrize(
    "typed",
    ["2021/22 Q3", "2021/22 q3", " 2021/22   Q3 ", "2021-22 Q3", "2021/22-Q3", "board/2021-22-Q3", "Q3 2021/22", "q3"],
)
def test_a_quarter_typed_in_any_of_the_ways_people_write_it_is_the_same_quarter(typed: str) -> None:
    from stratctl.periods import FinancialYear, parse_quarter

    assert parse_quarter(typed, FinancialYear(2021)) == Quarter.parse("2021/22 Q3")


@pytest.mark.parametrize("typed", ["2021-22 Q5", "spring", "Q3 2021", "2021/22 Q3 extra"])
def test_a_quarter_that_is_not_one_is_refused_in_the_words_typed(typed: str) -> None:
    from stratctl.periods import FinancialYear, PeriodError, parse_quarter

    with pytest.raises(PeriodError) as refused:
        parse_quarter(typed, FinancialYear(2021))
    assert repr(typed) in str(refused.value) and "2021/22 2021" not in str(refused.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021/22 Q3", Quarter(FinancialYear(2021), 3)),
        ("2022-04", Month(2022, 4)),
        ("1999/00 Q4", Quarter(FinancialYear(1999), 4)),
    ],
)
def test_a_measure_period_is_read_as_a_quarter_or_a_month(text: str, expected: Quarter | Month) -> None:
    assert parse_period(text) == expected
    assert type(parse_period(text)) is type(expected)


@pytest.mark.parametrize("text", ["2021/23 Q3", "2022-13", "Q3 2021/22", "2022-4", "2021/22", " 2022-04", ""])
def test_anything_else_is_not_a_period(text: str) -> None:
    with pytest.raises(PeriodError):
        parse_period(text)


def test_a_month_in_words_does_not_depend_on_the_locale() -> None:
    assert Month(2022, 4).abbreviation == "Apr"
    assert Month(2023, 12).words == "Dec 2023"
    assert Month.from_index(Month(2022, 12).index + 1).words == "Jan 2023"
