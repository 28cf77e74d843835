# What NHSRplotthedots itself computes for the hold-out series in tests/spc_holdout/.
#
# Runs the package's own R code, sourced from a checkout of its repository (the files are read
# as they are; the package need not be installed), over tests/spc_holdout/series.csv and
# meta.csv, and writes ptd_points.csv (every point: its rebase group, mean, limits, special cause
# type, point type, short-group warning) and ptd_summary.csv (each series' variation icon and
# assurance). Needs R >= 4.1 with dplyr, tidyselect, rlang, magrittr, assertthat and stringr
# (Debian: r-base-core r-cran-dplyr r-cran-tidyselect r-cran-assertthat r-cran-stringr).
#
#   Rscript scripts/ptd_reference.R /path/to/NHSRplotthedots tests/spc_holdout
#
# Two adaptations, neither of which changes a result: with dplyr older than 1.1, case_when's
# `.default = x` is written `TRUE ~ x`, its older spelling; the variation icon's file name
# (geom_ptd_icon.R's variation_icon_file, which needs dplyr::case_match) is written out below
# as the same mapping, without the file path.
suppressPackageStartupMessages({
  library(dplyr)
  library(magrittr)
  library(rlang)
})
args <- commandArgs(trailingOnly = TRUE)
package <- args[[1]]
folder <- args[[2]]
old_dplyr <- utils::packageVersion("dplyr") < "1.1.0"
for (f in c(
  "ZZZ", "to_datetime", "ptd_rebase", "ptd_target", "ptd_spc_options", "ptd_validate_spc_options",
  "ptd_add_rebase_column", "ptd_spc_standard", "ptd_calculate_point_type",
  "ptd_add_short_group_warnings", "ptd_add_target_column", "ptd_calculate_assurance_type", "ptd_spc"
)) {
  code <- readLines(file.path(package, "R", paste0(f, ".R")), warn = FALSE)
  if (old_dplyr) code <- gsub("\\.default = ", "TRUE ~ ", code)
  eval(parse(text = code), envir = globalenv())
}
variation_icon <- function(point_type, improvement_direction) {
  switch(point_type,
    common_cause = "common_cause",
    special_cause_neutral_high = "neutral_high",
    special_cause_neutral_low = "neutral_low",
    special_cause_concern = paste0("concern_", if (improvement_direction == "increase") "low" else "high"),
    special_cause_improvement = paste0("improvement_", if (improvement_direction == "increase") "high" else "low")
  )
}
full <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))
points <- utils::read.csv(file.path(folder, "series.csv"), stringsAsFactors = FALSE)
meta <- utils::read.csv(file.path(folder, "meta.csv"), stringsAsFactors = FALSE)
rows <- list()
summary <- list()
for (k in seq_len(nrow(meta))) {
  m <- meta[k, ]
  d <- points[points$series == m$series, ]
  d$date <- as.Date("2000-01-01") + d$index
  rebase_dates <- d$date[d$rebase == 1]
  rebase <- if (length(rebase_dates)) ptd_rebase(rebase_dates) else ptd_rebase()
  target <- if (is.na(m$target)) ptd_target() else ptd_target(m$target)
  r <- suppressWarnings(ptd_spc(d,
    value_field = "value", date_field = "date", rebase = rebase,
    improvement_direction = m$direction, target = target
  ))
  assurance <- ptd_calculate_assurance_type(r)
  r <- as.data.frame(r)
  rows[[k]] <- data.frame(
    series = m$series, index = d$index, rebase_group = r$rebase_group,
    mean = full(r$mean_col), lpl = full(r$lpl), upl = full(r$upl),
    special_cause_type = r$special_cause_type, point_type = r$point_type,
    short_group_warning = r$short_group_warning
  )
  summary[[k]] <- data.frame(
    series = m$series,
    variation = variation_icon(utils::tail(r$point_type, 1), m$direction),
    assurance = if (nrow(assurance)) assurance$assurance_type[[1]] else NA
  )
}
utils::write.csv(do.call(rbind, rows), file.path(folder, "ptd_points.csv"), row.names = FALSE, quote = FALSE)
utils::write.csv(do.call(rbind, summary), file.path(folder, "ptd_summary.csv"), row.names = FALSE, quote = FALSE)
