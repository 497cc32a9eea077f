#include "lib/redis/stored_text.h"

#include <zlib.h>

#include <algorithm>
#include <climits>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace arxiv_digest {
namespace {

// windowBits 15 + 16: gzip wrapper instead of zlib's.
constexpr int kGzipWindowBits = 15 + 16;
constexpr size_t kChunk = 64 << 10;

// Frees a z_stream on every return path.
class ZStream {
 public:
  explicit ZStream(bool inflate) : inflate_(inflate) {}
  ~ZStream() {
    if (!initialised_) return;
    if (inflate_) {
      inflateEnd(&stream_);
    } else {
      deflateEnd(&stream_);
    }
  }
  ZStream(const ZStream&) = delete;
  ZStream& operator=(const ZStream&) = delete;

  bool Init() {
    initialised_ = inflate_
                       ? inflateInit2(&stream_, kGzipWindowBits) == Z_OK
                       : deflateInit2(&stream_, 6, Z_DEFLATED, kGzipWindowBits,
                                      8, Z_DEFAULT_STRATEGY) == Z_OK;
    return initialised_;
  }
  z_stream* get() { return &stream_; }

 private:
  bool inflate_;
  bool initialised_ = false;
  z_stream stream_{};
};

}  // namespace

std::string PackStoredText(std::string_view text) {
  ZStream z(/*inflate=*/false);
  // deflateInit2 only fails without memory or on bad parameters (constant).
  if (!z.Init()) return std::string(text);
  z_stream* s = z.get();
  std::string out;
  out.resize(deflateBound(s, static_cast<uLong>(text.size())));
  s->next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  s->avail_in = static_cast<uInt>(text.size());
  s->next_out = reinterpret_cast<Bytef*>(out.data());
  s->avail_out = static_cast<uInt>(out.size());
  // deflateBound guarantees one Z_FINISH call completes.
  if (deflate(s, Z_FINISH) != Z_STREAM_END) return std::string(text);
  out.resize(s->total_out);
  return out;
}

bool IsPackedText(std::string_view stored) {
  return stored.size() >= 2 && static_cast<unsigned char>(stored[0]) == 0x1f &&
         static_cast<unsigned char>(stored[1]) == 0x8b;
}

absl::StatusOr<std::string> UnpackStoredText(std::string_view stored,
                                             size_t max_bytes) {
  if (!IsPackedText(stored)) {
    if (stored.size() > max_bytes) {
      return absl::ResourceExhaustedError(absl::StrCat(
          "stored text of ", stored.size(), " bytes exceeds ", max_bytes));
    }
    return std::string(stored);
  }
  if (stored.size() > UINT_MAX) {
    return absl::ResourceExhaustedError("stored text too large to inflate");
  }
  ZStream z(/*inflate=*/true);
  if (!z.Init()) return absl::InternalError("zlib inflateInit2 failed");
  z_stream* s = z.get();
  s->next_in = reinterpret_cast<Bytef*>(const_cast<char*>(stored.data()));
  s->avail_in = static_cast<uInt>(stored.size());
  std::string out;
  for (;;) {
    const size_t room = std::min(kChunk, max_bytes + 1 - out.size());
    const size_t used = out.size();
    out.resize(used + room);
    s->next_out = reinterpret_cast<Bytef*>(out.data() + used);
    s->avail_out = static_cast<uInt>(room);
    const int rc = inflate(s, Z_NO_FLUSH);
    out.resize(used + (room - s->avail_out));
    if (out.size() > max_bytes) {
      return absl::ResourceExhaustedError(
          absl::StrCat("stored text inflates past ", max_bytes, " bytes"));
    }
    if (rc == Z_STREAM_END) {
      if (s->avail_in != 0) {
        return absl::DataLossError("stored text has bytes after its gzip end");
      }
      return out;
    }
    if (rc == Z_BUF_ERROR && s->avail_in == 0) {
      return absl::DataLossError("stored text is a truncated gzip stream");
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      return absl::DataLossError(absl::StrCat("stored text is not valid gzip: ",
                                              s->msg ? s->msg : "zlib error"));
    }
  }
}

}  // namespace arxiv_digest
