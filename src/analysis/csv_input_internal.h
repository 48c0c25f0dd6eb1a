// Internal to analysis/csv_load.cpp (one translation unit includes it): the input, the bytes of the
// file after a UTF-8 BOM (or converted from UTF-16), mapped for the header and error positions and
// read in pieces by the passes over the body. Header-only so that the loader's hot loops inline it
// as they did when it was part of csv_load.cpp (bench/README.md, csv load).
#pragma once

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "base/csv.h"
#include "base/error.h"
#include "base/file.h"

namespace ngosurvey::analysis::csv_internal {

class Input {
 public:
  Input() = default;
  Input(const Input&) = delete;
  Input& operator=(const Input&) = delete;
  ~Input() {
    if (map_) ::munmap(map_, map_size_);
    if (fd_ >= 0) ::close(fd_);
  }

  Status Open(const std::string& path) {
    if (path == "-") {
      std::string all;
      char buffer[1 << 16];
      while (true) {
        ssize_t n = ::read(0, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return MakeError("IO001", "cannot read standard input", Location{.file = path});
        if (n == 0) break;
        all.append(buffer, static_cast<size_t>(n));
      }
      return SetText(std::move(all), path);
    }
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      return MakeError("IO001", std::string("cannot open: ") + std::strerror(errno),
                       Location{.file = path});
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
      // Not a regular file (a pipe): read it whole.
      ::close(fd);
      auto text = ReadFile(path, UINT64_MAX);
      if (!text) return tl::unexpected(text.error());
      return SetText(std::move(*text), path);
    }
    map_size_ = static_cast<size_t>(st.st_size);
    if (map_size_ > 0) {
      void* map = ::mmap(nullptr, map_size_, PROT_READ, MAP_PRIVATE, fd, 0);
      if (map == MAP_FAILED) {
        ::close(fd);
        return MakeError("IO001", std::string("cannot map: ") + std::strerror(errno),
                         Location{.file = path});
      }
      map_ = static_cast<char*>(map);
    }
    std::string_view all(map_, map_size_);
    if (all.starts_with("\xFF\xFE") || all.starts_with("\xFE\xFF")) {
      ::close(fd);
      auto text = csv::NormalizeEncoding(all, path);
      if (!text) return tl::unexpected(text.error());
      ::munmap(map_, map_size_);
      map_ = nullptr;
      owned_ = std::move(*text);
      data_ = owned_;
      return Ok();
    }
    data_ = all.starts_with("\xEF\xBB\xBF") ? all.substr(3) : all;
    if (map_) {
      fd_ = fd;  // the passes over the body read it (Read) rather than touch the mapping
    } else {
      ::close(fd);
    }
    return Ok();
  }

  Status SetText(std::string text, const std::string& name) {
    std::string_view view = text;
    if (view.starts_with("\xFF\xFE") || view.starts_with("\xFE\xFF")) {
      owned_ = NGO_TRY(csv::NormalizeEncoding(view, name));
      data_ = owned_;
      return Ok();
    }
    owned_ = std::move(text);
    data_ = owned_;
    if (data_.starts_with("\xEF\xBB\xBF")) data_ = data_.substr(3);
    return Ok();
  }

  void Borrow(std::string_view text, const std::string& name, Status* status) {
    if (text.starts_with("\xFF\xFE") || text.starts_with("\xFE\xFF")) {
      *status = SetText(std::string(text), name);
      return;
    }
    data_ = text.starts_with("\xEF\xBB\xBF") ? text.substr(3) : text;
  }

  std::string_view data() const { return data_; }

  // Whether the bulk passes read data() with Read() into their own buffers: for a
  // mapped file, whose pages would otherwise each be faulted in, mapped and given back
  // (a buffer of a few hundred KiB read from the page cache stays in the CPU's cache
  // and its TLB entries). The mapping then serves only the header and error positions.
  bool streamed() const { return fd_ >= 0; }

  // Copies data()[begin, end) to `out` (streamed input).
  void Read(size_t begin, size_t end, char* out) const {
    size_t offset = static_cast<size_t>(data_.data() - map_);
    size_t done = 0, want = end - begin;
    while (done < want) {
      ssize_t n = ::pread(fd_, out + done, want - done, static_cast<off_t>(offset + begin + done));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      done += static_cast<size_t>(n);
    }
    // A read that fails or comes short: the file shrank (or became unreadable) since
    // it was mapped. The mapping must not be read there (its pages past the new end
    // raise SIGBUS); zeros stand in, and the loader reports the change (changed()).
    if (done < want) {
      std::memset(out + done, 0, want - done);
      changed_.store(true, std::memory_order_relaxed);
    }
  }

  // Whether a Read() came short: the file changed while it was loaded, and what was
  // parsed is not the file.
  bool changed() const { return changed_.load(std::memory_order_relaxed); }

 private:
  char* map_ = nullptr;
  size_t map_size_ = 0;
  int fd_ = -1;  // of the mapped file, for Read()
  mutable std::atomic<bool> changed_{false};
  std::string owned_;
  std::string_view data_;
};

}  // namespace ngosurvey::analysis::csv_internal
