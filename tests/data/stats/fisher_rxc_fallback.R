# Regenerates fisher_rxc_fallback.txt, the R reference for the r x c fallbacks of
# FisherExact (stats_test.cpp):
#   Rscript --vanilla tests/data/stats/fisher_rxc_fallback.R > tests/data/stats/fisher_rxc_fallback.txt
# Lines "mc nr nc cells... exact_p sim_p B": mid-size tables with R's exact p
# (FEXACT) and R's Monte Carlo p (simulate.p.value = TRUE, B = 20000).
# Lines "chisq nr nc cells... p": chisq.test(correct = FALSE) at large N.
set.seed(20261125)
fmt <- function(v) sprintf("%.17g", v)
for (t in 1:30) {
  nr <- sample(3:4, 1); nc <- sample(3:4, 1); N <- sample(30:90, 1)
  rows <- sample(nr, N, replace = TRUE, prob = runif(nr) + 0.2)
  cols <- if (t %% 2 == 0) sample(nc, N, replace = TRUE) else
    ((rows + sample(0:2, N, replace = TRUE)) %% nc) + 1L
  x <- unclass(table(factor(rows, levels = 1:nr), factor(cols, levels = 1:nc)))
  exact <- tryCatch(fisher.test(x, workspace = 2e8)$p.value, error = function(e) NA)
  if (is.na(exact)) next
  sim <- fisher.test(x, simulate.p.value = TRUE, B = 20000)$p.value
  cat("mc", nr, nc, sprintf("%.0f", as.vector(t(x))), fmt(exact), fmt(sim), 20000, "\n")
}
for (t in 1:20) {
  nr <- 6; nc <- 5; N <- sample(c(50000, 200000, 1000000), 1)
  g <- sample(nc, N, replace = TRUE)
  shift <- c(0, 0.001, 0.003, 0.01)[(t %% 4) + 1]
  prob <- c(0.2, 0.2, 0.2, 0.15, 0.15, 0.1)
  counts <- matrix(0, nr, nc)
  for (k in 1:nc) {
    nk <- sum(g == k)
    pk <- prob + c(shift * (k - 3), -shift * (k - 3), 0, 0, 0, 0)
    counts[, k] <- rmultinom(1, nk, pk)
  }
  cat("chisq", nr, nc, sprintf("%.0f", as.vector(t(counts))),
      fmt(chisq.test(counts, correct = FALSE)$p.value), "\n")
}
