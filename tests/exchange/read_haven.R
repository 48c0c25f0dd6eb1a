# Reads a .dta or .sav with haven and writes JSON for roundtrip.py: per variable its values
# (numbers, dates as YYYY-MM-DD, text), the kind of each cell (value, refused, dont_know,
# empty), its variable label and value labels. Usage: Rscript read_haven.R FILE dta|sav OUT.json
args <- commandArgs(trailingOnly = TRUE)
suppressMessages(library(haven))
path <- args[1]; fmt <- args[2]; out <- args[3]
df <- if (fmt == "dta") read_dta(path) else read_sav(path, user_na = TRUE)
esc <- function(s) {
  s <- gsub("\\", "\\\\", s, fixed = TRUE); s <- gsub("\"", "\\\"", s, fixed = TRUE)
  s <- gsub("\n", "\\n", s, fixed = TRUE); s <- gsub("\r", "\\r", s, fixed = TRUE)
  paste0("\"", s, "\"")
}
cols <- c()
for (name in names(df)) {
  x <- df[[name]]
  label <- attr(x, "label"); if (is.null(label)) label <- ""
  labels <- attr(x, "labels")
  kinds <- character(length(x)); values <- character(length(x))
  if (inherits(x, "Date")) {
    kinds <- ifelse(is.na(x), "empty", "value"); values <- ifelse(is.na(x), "", format(x, "%Y-%m-%d"))
  } else if (inherits(x, "POSIXct")) {
    kinds <- ifelse(is.na(x), "empty", "value"); values <- ifelse(is.na(x), "", format(x, "%Y-%m-%dT%H:%M:%S", tz = "UTC"))
  } else if (is.character(x)) {
    v <- as.character(x)
    kinds <- ifelse(v == "refused", "refused", ifelse(v == "dont_know", "dont_know", ifelse(v == "", "empty", "value")))
    values <- v
  } else {
    spss_format <- attr(x, "format.spss"); if (is.null(spss_format)) spss_format <- ""
    raw <- unclass(x); attributes(raw) <- NULL
    for (i in seq_along(raw)) {
      if (fmt == "dta" && is.na(raw[i])) {
        tag <- na_tag(raw[i])
        kinds[i] <- if (is.na(tag)) "empty" else if (tag == "a") "refused" else if (tag == "b") "dont_know" else "empty"
      } else if (fmt == "sav" && !is.na(raw[i]) && raw[i] %in% c(-97, -98) && raw[i] %in% attr(x, "na_values")) {
        kinds[i] <- if (raw[i] == -97) "refused" else "dont_know"
      } else if (is.na(raw[i])) {
        kinds[i] <- "empty"
      } else if (grepl("^DATE[0-9]", spss_format)) {
        # With user_na = TRUE haven keeps SPSS dates as labelled days since 1970.
        kinds[i] <- "value"; values[i] <- format(as.Date(raw[i], origin = "1970-01-01"), "%Y-%m-%d")
      } else if (grepl("^DATETIME", spss_format)) {
        kinds[i] <- "value"
        values[i] <- format(as.POSIXct(raw[i], origin = "1970-01-01", tz = "UTC"), "%Y-%m-%dT%H:%M:%S", tz = "UTC")
      } else {
        kinds[i] <- "value"; values[i] <- format(raw[i], digits = 15, scientific = FALSE, trim = TRUE)
      }
    }
  }
  lab_json <- "null"
  if (!is.null(labels) && any(!is.na(unclass(labels)))) {
    keep <- !is.na(unclass(labels))
    lv <- unclass(labels)[keep]; ln <- names(labels)[keep]
    lab_json <- paste0("{", paste0(esc(format(lv, digits = 15, scientific = FALSE, trim = TRUE)), ":", esc(ln), collapse = ","), "}")
  }
  cols <- c(cols, paste0(esc(name), ":{\"label\":", esc(label), ",\"labels\":", lab_json,
                         ",\"kinds\":[", paste0(esc(kinds), collapse = ","),
                         "],\"values\":[", paste0(esc(values), collapse = ","), "]}"))
}
con <- file(out, open = "w", encoding = "UTF-8")
writeLines(paste0("{", paste(cols, collapse = ","), "}"), con, useBytes = TRUE)
close(con)
