#pragma once

namespace ngosurvey::testing {

// The checkout's root folder, for tests that read files kept in the tree
// (tests/forms, study/, docs/). It lives in one translation unit so that the
// absolute path is compiled once: were it a -D on every test object, two
// worktrees of the repository would never share a ccache entry.
const char* SourceDir();

}  // namespace ngosurvey::testing
