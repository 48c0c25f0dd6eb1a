#include "cli/heap.h"

#include <gtest/gtest.h>

namespace ngosurvey::cli {
namespace {

// /proc/buddyinfo as a 2-core virtual machine showed it (x86-64, 4 KB pages).
constexpr std::string_view kBuddyInfo =
    "Node 0, zone      DMA      0      0      0      0      0      0      0      0      1      "
    "1      3 \n"
    "Node 0, zone    DMA32      0      4      2      2      1      2      0      3      3      "
    "1    753 \n"
    "Node 0, zone   Normal    667    214   1460   1694   1072   1193    467    156    105     "
    "85    175 \n";

TEST(FreeHugePages, CountsBlocksOfTwoMegabytesAndMoreInEveryZone) {
  // Order 9 (2 MB) counts once, order 10 (4 MB) twice: DMA 1 + 2*3, DMA32 1 + 2*753,
  // Normal 85 + 2*175.
  EXPECT_EQ(FreeHugePages(kBuddyInfo, 4096), 7 + 1507 + 435);
}

TEST(FreeHugePages, LargerPagesMakeLowerOrdersHuge) {
  // With 64 KB pages, order 5 is 2 MB: one row, 1 block of order 5, 1 of order 6.
  EXPECT_EQ(FreeHugePages("Node 0, zone Normal 9 9 9 9 9 1 1\n", 65536), 3);
}

TEST(FreeHugePages, NoneFreeIsZero) {
  EXPECT_EQ(FreeHugePages("Node 0, zone Normal 5 4 3 2 1 0 0 0 0 0 0\n", 4096), 0);
}

TEST(FreeHugePages, UnknownWithoutARow) {
  EXPECT_EQ(FreeHugePages("", 4096), -1);
  EXPECT_EQ(FreeHugePages("something else\n", 4096), -1);
  EXPECT_EQ(FreeHugePages("Node 0, zone Normal x 1 2\n", 4096), -1);
  EXPECT_EQ(FreeHugePages("Node 0, zone Normal\n", 4096), -1);
}

TEST(FreeHugePages, AWellFormedRowCountsBesideAMalformedOne) {
  EXPECT_EQ(FreeHugePages("Node 0, zone DMA ?\nNode 0, zone Normal 0 0 0 0 0 0 0 0 0 2 0", 4096),
            2);
}

}  // namespace
}  // namespace ngosurvey::cli
