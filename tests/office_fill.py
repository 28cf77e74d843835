"""Fill a workbook in LibreOffice Calc as a person would, then save it as .xlsx.

Run by the system Python that has LibreOffice's `uno` module (Debian: python3-uno, a dependency of
libreoffice-calc), never imported by the tests themselves:

    python3 tests/office_fill.py SOURCE.xlsx TARGET.xlsx FILLS.json LOCALE PROFILE_DIR

SOURCE and TARGET may be .csv files too (comma-separated, UTF-8), opened and saved as Calc does
them. FILLS.json is a list of [sheet, row, column, text] (1-based); an empty list opens the
file and saves it again, as a person who only looks at it and presses Save. Each text is typed into its cell
through Calc's own input line (the `.uno:EnterString` command on the selected cell), so Calc reads
it as it reads typing in that locale: `14/12/2023` is a date in en-GB and text in en-US, `74.5%`
a percentage. LOCALE (en-GB, en-US) is set in a fresh user profile before Calc starts.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
import uuid
from pathlib import Path

# LibreOffice's own Python bridge: it runs under LibreOffice's Python, not in .venv, and ships no types
import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]

REGISTRY = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N">
  <prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>{locale}</value></prop></item>
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooLocale" oor:op="fuse"><value>en-US</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc">
  <prop oor:name="FirstRun" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Input">
  <prop oor:name="AutoInput" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""


CSV_FILTER = "Text - txt - csv (StarCalc)"
CSV_OPTIONS = "44,34,76,1"  # comma-separated, double quotes, UTF-8, from the first line: Calc's defaults for a .csv


def prop(name: str, value: object) -> PropertyValue:
    item = PropertyValue()
    item.Name, item.Value = name, value
    return item


def main(source: str, target: str, fills_file: str, locale: str, profile: str) -> None:
    profile_dir = Path(profile)
    (profile_dir / "user").mkdir(parents=True, exist_ok=True)
    (profile_dir / "user" / "registrymodifications.xcu").write_text(REGISTRY.format(locale=locale), encoding="utf-8")
    pipe = f"stratctl-{uuid.uuid4().hex}"
    office = subprocess.Popen(
        [
            "soffice",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nodefault",
            f"-env:UserInstallation={profile_dir.resolve().as_uri()}",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        context = None
        for _ in range(240):
            try:
                context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except NoConnectException:
                if office.poll() is not None:
                    raise SystemExit(f"soffice exited with {office.returncode} before accepting a connection") from None
                time.sleep(0.25)
        if context is None:
            raise SystemExit("soffice did not accept a connection")
        manager = context.ServiceManager
        desktop = manager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        dispatcher = manager.createInstanceWithContext("com.sun.star.frame.DispatchHelper", context)
        opening = [prop("Hidden", True)]
        if Path(source).suffix.lower() == ".csv":  # as a person opens a CSV file: comma-separated, UTF-8
            opening += [prop("FilterName", CSV_FILTER), prop("FilterOptions", CSV_OPTIONS)]
        document = desktop.loadComponentFromURL(Path(source).resolve().as_uri(), "_blank", 0, tuple(opening))
        controller = document.getCurrentController()
        frame = controller.getFrame()
        for sheet_name, row, column, text in json.loads(Path(fills_file).read_text(encoding="utf-8")):
            sheet = document.Sheets.getByName(sheet_name)
            controller.setActiveSheet(sheet)
            controller.select(sheet.getCellByPosition(column - 1, row - 1))
            dispatcher.executeDispatch(frame, ".uno:EnterString", "", 0, (prop("StringName", text),))
        saving = (
            [prop("FilterName", CSV_FILTER), prop("FilterOptions", CSV_OPTIONS)]
            if Path(target).suffix.lower() == ".csv"
            else [prop("FilterName", "Calc MS Excel 2007 XML")]
        )
        document.storeToURL(Path(target).resolve().as_uri(), (*saving, prop("Overwrite", True)))
        document.close(True)
        with contextlib.suppress(Exception):  # the bridge closes as the office quits: any error, nothing to do
            desktop.terminate()
    finally:
        try:
            office.wait(timeout=60)
        except subprocess.TimeoutExpired:
            office.kill()
            office.wait()


if __name__ == "__main__":
    main(*sys.argv[1:6])
