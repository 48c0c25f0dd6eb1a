// base: the small shared vocabulary of ngosurvey (errors with locations, results,
// diagnostics, progress, files, clocks, UTF-8 text). It knows nothing about surveys,
// and every other module may include it.
#pragma once

#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <type_traits>
#include <utility>

namespace ngosurvey {

// Where something happened. Every field is optional: an empty string or a zero
// means "not known". Rows and columns count from 1, as spreadsheets and editors do;
// expr_offset counts bytes from 0 within `expression`.
struct Location {
  std::string file;
  std::string sheet;  // XLSForm sheet ("survey"), or empty for text files.
  int row = 0;
  int column = 0;
  int expr_offset = -1;    // Byte offset within the expression text, -1 if none.
  std::string expression;  // The expression text, for the caret display.

  // "form.xlsx:survey!F14" when a sheet is known, "data.csv:14:3" for text files,
  // "form.xlsx" alone, or "" when nothing is known.
  std::string ToString() const;
  bool empty() const { return file.empty() && sheet.empty() && row == 0 && column == 0; }
};

// "A", "B", ..., "Z", "AA", ... for a 1-based column number; "" for 0.
std::string ColumnLetters(int column);

// An error value: a stable code (e.g. "E012"), a human message and where it
// happened. Success costs nothing: functions return Result<T>.
struct Error {
  std::string code;
  std::string message;
  Location where;

  // "form.xlsx:survey!F14: E012: message", followed, when the location carries an
  // expression and an offset, by the expression and a caret line under the offset.
  std::string ToString() const;
};

template <typename T>
using Result = tl::expected<T, Error>;
using Status = tl::expected<void, Error>;

inline tl::unexpected<Error> MakeError(std::string code, std::string message, Location where = {}) {
  return tl::unexpected<Error>(Error{std::move(code), std::move(message), std::move(where)});
}

inline Status Ok() { return {}; }

}  // namespace ngosurvey

namespace ngosurvey::detail {
// The value of a successful Result, by value (nothing for Status); used by NGO_TRY.
template <typename R>
auto TakeValue(R&& result) {
  using T = typename std::remove_cvref_t<R>::value_type;
  if constexpr (std::is_void_v<T>) {
    return;
  } else {
    return T(std::forward<R>(result).value());
  }
}
}  // namespace ngosurvey::detail

// NGO_TRY(expr): evaluates a Result or Status; on error returns the error from the
// enclosing function, otherwise yields the value (moved out of a temporary, copied
// from a named const result). (GCC/clang statement expression.)
#define NGO_TRY(expr)                                                                         \
  ({                                                                                          \
    auto&& ngo_try_result_ = (expr);                                                          \
    if (!ngo_try_result_) return tl::unexpected(std::move(ngo_try_result_).error());          \
    ::ngosurvey::detail::TakeValue(std::forward<decltype(ngo_try_result_)>(ngo_try_result_)); \
  })
