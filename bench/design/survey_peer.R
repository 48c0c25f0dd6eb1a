# The peer of bench/design/run.sh: R's survey package on the same design and data, computing
# a subset of what `ngosurvey tabulate --weight w --strata stratum --cluster cluster --by
# region --total` computes: every option's weighted share with its se and deff in each
# region and overall, and each item's Rao-Scott test over the regions (ngosurvey also
# computes every design-based interval and the pairwise tests, which R is not asked for).
# Usage: Rscript survey_peer.R DATA.csv OUT.txt
suppressMessages(library(survey))
args <- commandArgs(TRUE)
options(survey.lonely.psu = "adjust")
t0 <- proc.time()[["elapsed"]]
d <- read.csv(args[1])
t1 <- proc.time()[["elapsed"]]
des <- svydesign(ids = ~cluster, strata = ~stratum, weights = ~w, data = d, nest = TRUE)
out <- file(args[2], "w")
for (i in 0:9) {
  q <- paste0("q", i)
  f <- as.formula(paste0("~factor(", q, ")"))
  by <- svyby(f, ~region, des, svymean, deff = TRUE)
  all <- svymean(f, des, deff = TRUE)
  test <- svychisq(as.formula(paste0("~", q, " + region")), des)
  writeLines(sprintf("%s %.17g %.17g", q, sum(coef(by)), test$p.value), out)
}
close(out)
t2 <- proc.time()[["elapsed"]]
cat(sprintf("R survey: read %.2f s, compute %.2f s\n", t1 - t0, t2 - t1))
