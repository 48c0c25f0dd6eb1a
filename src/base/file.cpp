#include "base/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <random>

namespace ngosurvey {
namespace {

Location FileLocation(const std::string& path) {
  Location where;
  where.file = path;
  return where;
}

std::string ErrnoText() { return std::strerror(errno); }

std::string TempPathFor(const std::string& path) {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  return path + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(rng() % 1000000000);
}

Status FsyncPath(const std::string& path, int flags) {
  int fd = ::open(path.c_str(), flags);
  if (fd < 0) return MakeError("IO003", "cannot open for sync: " + ErrnoText(), FileLocation(path));
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return MakeError("IO003", "cannot sync to disk: " + ErrnoText(), FileLocation(path));
  return Ok();
}

// Copies the file `from` into `to`, an existing file that is not a regular one (a
// character device such as /dev/null or /dev/stdout, a named pipe), opened for writing
// as it is: it cannot be replaced by a rename.
Status CopyInto(const std::string& from, const std::string& to) {
  int in = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) return MakeError("IO004", "cannot read back: " + ErrnoText(), FileLocation(to));
  int out = ::open(to.c_str(), O_WRONLY | O_CLOEXEC);
  if (out < 0) {
    std::string why = ErrnoText();
    ::close(in);
    return MakeError("IO004", "cannot open: " + why, FileLocation(to));
  }
  Status copied = Ok();
  char buffer[65536];
  for (;;) {
    ssize_t n = ::read(in, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n < 0) copied = MakeError("IO004", "cannot read back: " + ErrnoText(), FileLocation(to));
      break;
    }
    ssize_t done = 0;
    while (done < n && copied) {
      ssize_t w = ::write(out, buffer + done, static_cast<size_t>(n - done));
      if (w < 0 && errno == EINTR) continue;
      if (w < 0)
        copied = MakeError("IO004", "cannot write: " + ErrnoText(), FileLocation(to));
      else
        done += w;
    }
    if (!copied) break;
  }
  ::close(in);
  if (::close(out) != 0 && copied) {
    copied = MakeError("IO004", "cannot write: " + ErrnoText(), FileLocation(to));
  }
  return copied;
}

std::string ParentOf(const std::string& path) {
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  return parent.empty() ? "." : parent.string();
}

}  // namespace

Result<std::string> ReadFile(const std::string& path, uint64_t max_bytes) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return MakeError("IO001", "cannot open: " + ErrnoText(), FileLocation(path));
  struct stat st;
  if (::fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
    ::close(fd);
    return MakeError("IO001", "cannot read: not a regular file", FileLocation(path));
  }
  if (static_cast<uint64_t>(st.st_size) > max_bytes) {
    ::close(fd);
    return MakeError("IO002",
                     "file is " + std::to_string(st.st_size) + " bytes, more than the limit of " +
                         std::to_string(max_bytes),
                     FileLocation(path));
  }
  std::string data;
  data.resize(static_cast<size_t>(st.st_size));
  size_t got = 0;
  while (got < data.size()) {
    ssize_t n = ::read(fd, data.data() + got, data.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      return MakeError("IO001", "cannot read: " + ErrnoText(), FileLocation(path));
    }
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  data.resize(got);
  ::close(fd);
  return data;
}

Status WriteFileAtomicWith(const std::string& path,
                           const std::function<Status(const std::string& temp_path)>& write) {
  // A target that exists and is not a regular file (/dev/null, /dev/stdout, a named
  // pipe) is written into, not replaced: renaming over it would put a regular file
  // in its place (for /dev/null, as root, the whole machine's). The output is made in
  // the temporary folder, then copied in.
  struct stat target;
  if (::stat(path.c_str(), &target) == 0 && !S_ISREG(target.st_mode)) {
    if (S_ISDIR(target.st_mode)) {
      return MakeError("IO004", "cannot write: it is a folder", FileLocation(path));
    }
    std::error_code ec;
    std::filesystem::path folder = std::filesystem::temp_directory_path(ec);
    if (ec) folder = "/tmp";
    std::string temp = TempPathFor((folder / "ngosurvey-output").string());
    Status written = write(temp);
    if (written) written = CopyInto(temp, path);
    ::unlink(temp.c_str());
    return written;
  }
  std::string temp = TempPathFor(path);
  Status written = write(temp);
  if (written) written = FsyncPath(temp, O_RDONLY);
  if (written && ::rename(temp.c_str(), path.c_str()) != 0) {
    written = MakeError("IO004", "cannot replace file: " + ErrnoText(), FileLocation(path));
  }
  if (!written) {
    ::unlink(temp.c_str());
    return written;
  }
  return FsyncPath(ParentOf(path), O_RDONLY | O_DIRECTORY);
}

Status WriteFileAtomic(const std::string& path, std::string_view contents) {
  return WriteFileAtomicWith(path, [&](const std::string& temp) -> Status {
    int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) return MakeError("IO004", "cannot create: " + ErrnoText(), FileLocation(path));
    size_t done = 0;
    while (done < contents.size()) {
      ssize_t n = ::write(fd, contents.data() + done, contents.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        std::string why = ErrnoText();
        ::close(fd);
        return MakeError("IO004", "cannot write: " + why, FileLocation(path));
      }
      done += static_cast<size_t>(n);
    }
    if (::close(fd) != 0)
      return MakeError("IO004", "cannot write: " + ErrnoText(), FileLocation(path));
    return Ok();
  });
}

Status MakeDirectories(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) return MakeError("IO005", "cannot create folder: " + ec.message(), FileLocation(path));
  return Ok();
}

}  // namespace ngosurvey
