// toml++ 3's compiled part, what Debian's libtomlplusplus.so.3 holds: its header with
// the implementation switched on (TOML_HEADER_ONLY=0 comes from the target).
#define TOML_IMPLEMENTATION
#include <toml++/toml.h>
