# Regenerates fisher_2x2_large.txt: R's fisher.test p-values of 2x2 tables with N up
# to 1e6 (the support of the hypergeometric up to ~5e5 terms), for stats_test.cpp.
#   Rscript --vanilla tests/data/stats/fisher_2x2_large.R > tests/data/stats/fisher_2x2_large.txt
# Each line: a b c d p (the table matrix(c(a, c, b, d), 2), p printed %.17g).
set.seed(20261125)
out <- function(a, b, c, d) {
  p <- fisher.test(matrix(c(a, c, b, d), 2))$p.value
  cat(sprintf("%.0f", c(a, b, c, d)), sprintf("%.17g", p), "\n")
}
# Groups of the peers workload: 5 groups of ~200,000, options at ~14%, small and
# large differences, down to p ~ 1e-250.
for (t in 1:40) {
  n1 <- sample(150000:250000, 1); n2 <- sample(150000:250000, 1)
  p1 <- runif(1, 0.01, 0.5)
  shift <- c(0, 0.0005, 0.002, 0.005, 0.02)[(t %% 5) + 1]
  a <- rbinom(1, n1, p1); c <- rbinom(1, n2, min(1, p1 + shift))
  out(a, n1 - a, c, n2 - c)
}
# N up to 1e6, every proportion, random margins.
for (t in 1:40) {
  N <- sample(c(1000, 10000, 100000, 1000000), 1)
  n1 <- sample(1:(N - 1), 1); n2 <- N - n1
  p1 <- runif(1); p2 <- if (t %% 2 == 0) p1 else runif(1)
  a <- rbinom(1, n1, p1); c <- rbinom(1, n2, p2)
  out(a, n1 - a, c, n2 - c)
}
# Rare options and lopsided margins at N = 1e6.
out(0, 500000, 1, 499999)
out(3, 499997, 0, 500000)
out(1, 999, 5, 999000 - 5)
out(10, 90, 900, 999000)
out(0, 1, 1000, 998999)
out(50, 450000, 80, 549870)
out(500000, 0, 0, 500000 - 150)
out(250000, 250000, 250100, 249900)
out(123456, 376544, 124321, 375679)
