// Fuzz target for the REFI-QDA project reader (exchange/qdpx.h, ReadQdpxProject): any
// bytes, read as project.qde. It must give a project or a QDP001 error naming the file,
// never a crash, a hang or unbounded memory; every selection it gives has whole,
// non-negative positions.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "exchange/qdpx.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ngosurvey;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto project = exchange::ReadQdpxProject(input, "project.qde");
  if (!project) {
    if (project.error().code != "QDP001" || project.error().where.file != "project.qde") {
      __builtin_trap();
    }
    return 0;
  }
  for (const exchange::QdpxSource& source : project->sources) {
    for (const exchange::QdpxSelection& selection : source.selections) {
      if (selection.start < 0 || selection.end < 0) __builtin_trap();
    }
  }
  return 0;
}
