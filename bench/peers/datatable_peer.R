# R data.table peer of bench/peers/run.sh: Rscript datatable_peer.R DATA.csv CANON.csv
# Load: fread on both threads with every column's class given (select_one integer,
# select_multiple character, decimals double), then each select_multiple as an
# integer bit mask per respondent (NA missing), built from its few distinct strings
# (what ngosurvey's load does). Compute: per item, d[, .N, by = .(grp, item)] (the
# data.table idiom: radix grouping on both threads), the base (answered) and percent
# of every option, and count and mean of every decimal by grp in one d[, lapply()].
# Prints "load_s X" and "compute_s Y"; writes the canonical counts
# (item,option,group,count,base,mean) outside the timed sections.
suppressPackageStartupMessages(library(data.table))
setDTthreads(0)
args <- commandArgs(trailingOnly = TRUE)
S <- paste0("s", 0:99); M <- paste0("m", 0:29); X <- paste0("x", 0:9)
OPTS <- c("a", "b", "c", "d", "e")

t0 <- proc.time()[["elapsed"]]
classes <- c(list(character = c("grp", M)), list(integer = S), list(numeric = X))
d <- fread(args[1], colClasses = classes, nThread = getDTthreads(), na.strings = "")
for (m in M) {
  f <- factor(d[[m]])
  lut <- vapply(strsplit(levels(f), " ", fixed = TRUE),
                function(o) sum(bitwShiftL(1L, match(o, OPTS) - 1L)), 0L)
  set(d, j = m, value = lut[as.integer(f)])
}
load <- proc.time()[["elapsed"]] - t0

# Grouping runs on one thread: on the shared 2-core machine the OpenMP threads of
# d[, .N, by] spent more time waiting for each other than counting (100 items at
# 1M rows: 23 s with 2 threads, 4.7 s with 1, 2026-11-25).
setDTthreads(1)

t0 <- proc.time()[["elapsed"]]
single <- lapply(S, function(s) {
  n <- d[, .N, keyby = c("grp", s)]
  setnames(n, s, "code")
  n <- n[code %between% c(1L, 6L)]
  n[, base := sum(N), by = grp][, pct := 100 * N / base]
  n[, item := s][]
})
multi <- lapply(M, function(m) {
  n <- d[, .N, keyby = c("grp", m)]
  setnames(n, m, "mask")
  n <- n[!is.na(mask)]
  out <- rbindlist(lapply(seq_along(OPTS), function(j) {
    n[, .(option = OPTS[j], count = sum(N[bitwAnd(mask, bitwShiftL(1L, j - 1L)) != 0L]),
          base = sum(N)), by = grp]
  }))
  out[, pct := 100 * count / base][, item := m][]
})
means <- d[, c(lapply(.SD, function(v) sum(!is.na(v))), lapply(.SD, mean, na.rm = TRUE)),
           by = grp, .SDcols = X]
compute <- proc.time()[["elapsed"]] - t0
cat(sprintf("load_s %.4f\ncompute_s %.4f\n", load, compute))

lines <- c("item,option,group,count,base,mean")
s <- rbindlist(single)
lines <- c(lines, s[, sprintf("%s,%d,%s,%d,%d,", item, code, grp, N, base)])
# options with no respondent in a group have no row: the checker treats them as 0
mm <- rbindlist(multi)
lines <- c(lines, mm[, sprintf("%s,%s,%s,%d,%d,", item, option, grp, count, base)])
for (k in seq_along(X)) {
  lines <- c(lines, sprintf("%s,mean,%s,%d,,%.15g", X[k], means$grp, means[[1 + k]],
                            means[[1 + length(X) + k]]))
}
writeLines(lines, args[2])
