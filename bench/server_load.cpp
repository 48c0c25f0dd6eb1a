// server_load: the load generator of the collection server's benchmark
// (bench/server.sh, bench/README.md "Collection server"). N clients, each a thread
// with one keep-alive HTTP/1.1 connection on loopback, send OpenRosa submissions
// (POST /submission, multipart/form-data with xml_submission_file only, about 2 KB)
// with HTTP Digest (MD5, qop=auth) as ODK Collect does: a first request is
// challenged (401), then every request carries an Authorization computed from that
// nonce with nc + 1; a stale nonce (401 again) is followed with the new challenge.
//
// The submissions are SYNTHETIC: 16 answers of the benchmark form that
// bench/server.sh writes (bench_server, version 1), each with a fresh instanceID.
//
// Why threads and blocking sockets rather than libcurl's multi interface or Python:
// the generator shares the 2 cores with the server, so its CPU is part of what is
// measured. A blocking send/recv per request is the least work per request (no
// event loop, no parser beyond the status line and Content-Length), libcurl is not
// a dependency of the project, and Python's http.client costs about ten times the
// CPU per request. The generator's own CPU time is printed with the results.
//
// Usage: server_load --port P --user U --password PW [--clients 50] [--seconds 10]
//                    [--warmup 2] [--realm ngosurvey]
// Prints one JSON object: submissions accepted (201) per second over the measured
// window (after the warm-up), p50/p99 latency of those in ms, counts by status, and
// the generator's CPU seconds.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/evp.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  int port = 0;
  std::string user, password;
  int clients = 50;
  double seconds = 10;
  double warmup = 2;
};

std::string Md5Hex(const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_md5(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0xf];
  }
  return hex;
}

// The value of `key` in a WWW-Authenticate: Digest header ("" when absent).
std::string ChallengeParam(const std::string& header, const std::string& key) {
  size_t at = 0;
  while ((at = header.find(key + "=", at)) != std::string::npos) {
    bool start = at == 0 || header[at - 1] == ' ' || header[at - 1] == ',';
    at += key.size() + 1;
    if (!start) continue;
    if (at < header.size() && header[at] == '"') {
      size_t end = header.find('"', at + 1);
      return header.substr(at + 1, end - at - 1);
    }
    size_t end = header.find_first_of(", ", at);
    return header.substr(at, end == std::string::npos ? std::string::npos : end - at);
  }
  return "";
}

struct Response {
  int status = 0;
  std::string www_authenticate;
  bool close = false;
};

class Connection {
 public:
  explicit Connection(int port) : port_(port) {}
  ~Connection() { Close(); }

  // Sends `request` and reads one response (no body after a HEAD request); false
  // when the connection failed.
  bool Exchange(const std::string& request, Response* out) {
    const bool head_request = request.compare(0, 5, "HEAD ") == 0;
    if (fd_ < 0 && !Open()) return false;
    size_t sent = 0;
    while (sent < request.size()) {
      ssize_t n = ::send(fd_, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return Fail();
      sent += static_cast<size_t>(n);
    }
    size_t header_end;
    while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill()) return Fail();
    }
    std::string head = buffer_.substr(0, header_end);
    *out = Response{};
    if (head.size() < 12 || head.compare(0, 5, "HTTP/") != 0) return Fail();
    out->status = std::atoi(head.c_str() + 9);
    size_t length = 0;
    size_t line = head.find("\r\n");
    while (line != std::string::npos) {
      size_t next = head.find("\r\n", line + 2);
      std::string h =
          head.substr(line + 2, next == std::string::npos ? std::string::npos : next - line - 2);
      size_t colon = h.find(':');
      if (colon != std::string::npos) {
        std::string name = h.substr(0, colon);
        std::transform(name.begin(), name.end(), name.begin(), ::tolower);
        std::string value = h.substr(colon + 1);
        value.erase(0, value.find_first_not_of(' '));
        if (name == "content-length") length = std::strtoull(value.c_str(), nullptr, 10);
        if (name == "www-authenticate") out->www_authenticate = value;
        if (name == "connection" && (value == "close" || value == "Close")) out->close = true;
      }
      line = next;
    }
    if (head_request) length = 0;
    while (buffer_.size() < header_end + 4 + length) {
      if (!Fill()) return Fail();
    }
    buffer_.erase(0, header_end + 4 + length);
    if (out->close) Close();
    return true;
  }

  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    buffer_.clear();
  }

 private:
  bool Open() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd_ < 0) return false;
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port_));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return Fail();
    return true;
  }
  bool Fill() {
    char chunk[16384];
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<size_t>(n));
    return true;
  }
  bool Fail() {
    Close();
    return false;
  }

  int port_;
  int fd_ = -1;
  std::string buffer_;
};

// A SYNTHETIC instance of the benchmark form (16 questions, about 2 KB with the
// multipart framing).
std::string Instance(const std::string& iid, std::mt19937_64& rng) {
  static const char* kCountries[] = {"kh", "vn", "th", "la"};
  static const char* kSectors[] = {"health", "education", "shelter", "legal", "livelihood"};
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<uint64_t>(n)); };
  auto words = [&](int count) {
    static const char* kWords[] = {"outreach", "shelter", "referral", "training", "legal",
                                   "support",  "family",  "victims",  "province", "village",
                                   "staff",    "network", "hotline",  "partner",  "survivor"};
    std::string s;
    for (int i = 0; i < count; ++i) {
      if (i) s += ' ';
      s += kWords[pick(15)];
    }
    return s;
  };
  std::string x =
      "<?xml version=\"1.0\"?>\n<data xmlns:orx=\"http://openrosa.org/xforms\" "
      "id=\"bench_server\" version=\"1\">";
  x +=
      "<org_name>Organisation " + std::to_string(pick(100000)) + " for " + words(3) + "</org_name>";
  x += "<country>" + std::string(kCountries[pick(4)]) + "</country>";
  x += "<province>" + words(2) + "</province>";
  x += "<founded>" + std::to_string(1970 + pick(55)) + "</founded>";
  x += "<staff>" + std::to_string(1 + pick(500)) + "</staff>";
  x += "<volunteers>" + std::to_string(pick(200)) + "</volunteers>";
  x += "<budget>" + std::to_string(pick(1000000)) + "." + std::to_string(pick(100)) + "</budget>";
  x += "<sector>" + std::string(kSectors[pick(5)]) + "</sector>";
  // Two different services: a choice named twice is refused by the server's check,
  // as by ODK's clients, which never send one.
  int first_service = pick(5);
  int second_service = (first_service + 1 + pick(4)) % 5;
  x += "<services>" + std::string(kSectors[first_service]) + " " + kSectors[second_service] +
       "</services>";
  x += "<registered>" + std::string(pick(2) ? "yes" : "no") + "</registered>";
  x += "<visit_date>2026-" + std::to_string(10 + pick(3)) + "-" + std::to_string(10 + pick(18)) +
       "</visit_date>";
  x += "<respondent>" + words(2) + "</respondent>";
  x += "<position>" + words(2) + "</position>";
  x += "<cases>" + std::to_string(pick(5000)) + "</cases>";
  x += "<challenges>" + words(40) + "</challenges>";
  x += "<remarks>" + words(40) + "</remarks>";
  x += "<meta><instanceID>" + iid + "</instanceID></meta></data>";
  return x;
}

std::string Uuid(std::mt19937_64& rng) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s = "uuid:";
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) s += '-';
    int v = static_cast<int>(rng() & 15);
    if (i == 12) v = 4;
    if (i == 16) v = 8 | (v & 3);
    s += kHex[v];
  }
  return s;
}

struct Sample {
  double start_s, end_s;  // since the run's start
  int status;
};

struct Totals {
  std::mutex mu;
  std::vector<Sample> samples;
  int failures = 0;
};

void Client(const Options& o, int index, Clock::time_point t0, Totals* totals) {
  std::mt19937_64 rng(0x5eed0000ULL + static_cast<uint64_t>(index));
  Connection conn(o.port);
  std::vector<Sample> samples;
  int failures = 0;
  std::string nonce, realm, opaque;
  unsigned nc = 0;
  auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - t0).count(); };
  auto authorization = [&](const std::string& method, const std::string& uri) {
    char ncs[9];
    std::snprintf(ncs, sizeof ncs, "%08x", ++nc);
    std::string cnonce = std::to_string(rng());
    std::string ha1 = Md5Hex(o.user + ":" + realm + ":" + o.password);
    std::string ha2 = Md5Hex(method + ":" + uri);
    std::string response = Md5Hex(ha1 + ":" + nonce + ":" + ncs + ":" + cnonce + ":auth:" + ha2);
    return "Authorization: Digest username=\"" + o.user + "\", realm=\"" + realm + "\", nonce=\"" +
           nonce + "\", uri=\"" + uri + "\", algorithm=MD5, qop=auth, nc=" + ncs + ", cnonce=\"" +
           cnonce + "\", response=\"" + response + "\", opaque=\"" + opaque + "\"\r\n";
  };
  auto take_challenge = [&](const Response& r) {
    nonce = ChallengeParam(r.www_authenticate, "nonce");
    realm = ChallengeParam(r.www_authenticate, "realm");
    opaque = ChallengeParam(r.www_authenticate, "opaque");
    nc = 0;
    return !nonce.empty();
  };
  const std::string host = "Host: 127.0.0.1:" + std::to_string(o.port) + "\r\n";
  // The first request, as Collect's HEAD /submission: challenged.
  Response r;
  if (!conn.Exchange("HEAD /submission HTTP/1.1\r\n" + host + "X-OpenRosa-Version: 1.0\r\n\r\n",
                     &r) ||
      r.status != 401 || !take_challenge(r)) {
    std::fprintf(stderr, "client %d: no Digest challenge (status %d)\n", index, r.status);
    std::lock_guard lock(totals->mu);
    ++totals->failures;
    return;
  }
  const double stop = o.warmup + o.seconds;
  while (elapsed() < stop) {
    std::string iid = Uuid(rng);
    std::string boundary = "ngobench" + std::to_string(rng());
    std::string body = "--" + boundary +
                       "\r\nContent-Disposition: form-data; name=\"xml_submission_file\"; "
                       "filename=\"submission.xml\"\r\nContent-Type: text/xml\r\n\r\n" +
                       Instance(iid, rng) + "\r\n--" + boundary + "--\r\n";
    double start = elapsed();
    int status = 0;
    for (int attempt = 0; attempt < 3; ++attempt) {
      std::string req = "POST /submission HTTP/1.1\r\n" + host +
                        "X-OpenRosa-Version: 1.0\r\nContent-Type: multipart/form-data; "
                        "boundary=" +
                        boundary + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" +
                        authorization("POST", "/submission") + "\r\n" + body;
      if (!conn.Exchange(req, &r)) {
        status = 0;
        continue;  // reconnect and send again
      }
      status = r.status;
      if (status == 401 && take_challenge(r)) continue;  // stale nonce
      break;
    }
    double end = elapsed();
    if (status == 0) ++failures;
    samples.push_back({start, end, status});
  }
  std::lock_guard lock(totals->mu);
  totals->samples.insert(totals->samples.end(), samples.begin(), samples.end());
  totals->failures += failures;
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

int Usage() {
  std::fprintf(stderr,
               "usage: server_load --port P --user U --password PW [--clients 50] "
               "[--seconds 10] [--warmup 2]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--port") {
      o.port = std::atoi(v.c_str());
    } else if (k == "--user") {
      o.user = v;
    } else if (k == "--password") {
      o.password = v;
    } else if (k == "--clients") {
      o.clients = std::atoi(v.c_str());
    } else if (k == "--seconds") {
      o.seconds = std::atof(v.c_str());
    } else if (k == "--warmup") {
      o.warmup = std::atof(v.c_str());
    } else {
      return Usage();
    }
  }
  if (argc % 2 == 0 || o.port <= 0 || o.user.empty() || o.clients <= 0 || o.seconds <= 0) {
    return Usage();
  }
  Totals totals;
  Clock::time_point t0 = Clock::now();
  std::vector<std::thread> threads;
  for (int i = 0; i < o.clients; ++i) threads.emplace_back(Client, std::cref(o), i, t0, &totals);
  for (std::thread& t : threads) t.join();
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  double cpu = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
               static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;

  // The measured window: requests that started after the warm-up.
  std::vector<double> latencies;
  std::map<int, int> by_status;
  double last_end = o.warmup;
  for (const Sample& s : totals.samples) {
    if (s.start_s < o.warmup) continue;
    ++by_status[s.status];
    if (s.status == 201) latencies.push_back((s.end_s - s.start_s) * 1000);
    last_end = std::max(last_end, s.end_s);
  }
  double window = last_end - o.warmup;
  std::string statuses;
  for (const auto& [status, count] : by_status) {
    if (!statuses.empty()) statuses += ", ";
    statuses += "\"" + std::to_string(status) + "\": " + std::to_string(count);
  }
  std::printf(
      "{\"clients\": %d, \"window_s\": %.3f, \"accepted\": %zu, \"accepted_per_s\": %.1f, "
      "\"p50_ms\": %.2f, \"p99_ms\": %.2f, \"statuses\": {%s}, \"connection_failures\": %d, "
      "\"generator_cpu_s\": %.3f}\n",
      o.clients, window, latencies.size(),
      window > 0 ? static_cast<double>(latencies.size()) / window : 0.0, Percentile(latencies, 0.5),
      Percentile(latencies, 0.99), statuses.c_str(), totals.failures, cpu);
  return totals.failures > 0 || latencies.empty() ? 1 : 0;
}
