// For tests: two datasets are the same column by column (names, labels, kinds,
// options, relevance, every byte plane, state and number, bit for bit).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>

#include "analysis/dataset.h"

namespace ngosurvey::analysis::testing {

inline void ExpectSameDataset(const Dataset& a, const Dataset& b) {
  EXPECT_EQ(a.rows(), b.rows());
  EXPECT_EQ(a.columns().size(), b.columns().size());
  for (size_t i = 0; i < std::min(a.columns().size(), b.columns().size()); ++i) {
    const Column& x = a.columns()[i];
    const Column& y = b.columns()[i];
    SCOPED_TRACE(x.name);
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.label, y.label);
    EXPECT_EQ(x.kind, y.kind);
    EXPECT_EQ(x.options, y.options);
    EXPECT_EQ(x.option_labels, y.option_labels);
    EXPECT_EQ(x.relevant, y.relevant);
    EXPECT_EQ(x.planes.size(), y.planes.size());
    for (size_t p = 0; p < std::min(x.planes.size(), y.planes.size()); ++p) {
      EXPECT_TRUE(x.planes[p] == y.planes[p]);
    }
    EXPECT_TRUE(x.codes16 == y.codes16);
    EXPECT_TRUE(x.codes32 == y.codes32);
    EXPECT_TRUE(x.states == y.states);
    EXPECT_EQ(x.numbers.size(), y.numbers.size());
    if (x.numbers.size() == y.numbers.size() && !x.numbers.empty()) {
      EXPECT_EQ(0,
                std::memcmp(x.numbers.data(), y.numbers.data(), x.numbers.size() * sizeof(double)));
    }
  }
}

}  // namespace ngosurvey::analysis::testing
