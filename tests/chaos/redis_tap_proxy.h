// A TCP proxy between one service and redis-server that forwards bytes
// untouched until the client sends a given byte string, then holds that
// write and everything after it. A test uses it to stop a process at an
// exact point of its Redis conversation (e.g. just before the fetcher
// writes status=fetched) and SIGKILL it there: deterministic, where timing
// a kill against a few-millisecond window would not be. Header-only.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace arxiv_digest::testing::chaos {

class RedisTapProxy {
 public:
  // Listens on 127.0.0.1:0 and relays to 127.0.0.1:upstream_port. An
  // unarmed proxy relays everything until Arm().
  RedisTapProxy(int upstream_port, std::string trigger, bool armed = true)
      : upstream_port_(upstream_port),
        trigger_(std::move(trigger)),
        armed_(armed) {
    listen_fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    listen(listen_fd_, 16);
    socklen_t len = sizeof(addr);
    getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    accept_thread_ = std::thread([this] { AcceptLoop(); });
  }

  RedisTapProxy(const RedisTapProxy&) = delete;
  RedisTapProxy& operator=(const RedisTapProxy&) = delete;
  ~RedisTapProxy() { Stop(); }

  std::string url() const {
    return "redis://127.0.0.1:" + std::to_string(port_);
  }
  // True once a client sent the trigger; from then on its bytes are held.
  bool triggered() const { return triggered_.load(); }
  // From now on the trigger is looked for (set here when the proxy was
  // built unarmed: the bytes to wait for may only be known later).
  void Arm(std::string trigger = "") {
    if (!trigger.empty()) trigger_ = std::move(trigger);
    armed_.store(true);  // publishes trigger_ to the relay threads
  }

  void Stop() {
    if (stopping_.exchange(true)) return;
    shutdown(listen_fd_, SHUT_RDWR);
    close(listen_fd_);
    if (accept_thread_.joinable()) accept_thread_.join();
    std::lock_guard<std::mutex> lock(mu_);
    for (std::thread& t : relays_) {
      if (t.joinable()) t.join();
    }
  }

 private:
  void AcceptLoop() {
    while (!stopping_.load()) {
      pollfd p{listen_fd_, POLLIN, 0};
      if (poll(&p, 1, 50) <= 0) continue;
      int client = accept(listen_fd_, nullptr, nullptr);
      if (client < 0) continue;
      int upstream = socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in addr{};
      addr.sin_family = AF_INET;
      addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      addr.sin_port = htons(static_cast<uint16_t>(upstream_port_));
      if (connect(upstream, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) !=
          0) {
        close(client);
        close(upstream);
        continue;
      }
      std::lock_guard<std::mutex> lock(mu_);
      relays_.emplace_back(
          [this, client, upstream] { Relay(client, upstream); });
    }
  }

  // Both directions on one thread; the client->server side is scanned for
  // the trigger, keeping the last bytes of the previous read so a trigger
  // split across two reads is still seen.
  void Relay(int client, int upstream) {
    std::string tail;
    char buf[65536];
    bool open = true;
    while (open && !stopping_.load()) {
      pollfd fds[2] = {{client, POLLIN, 0}, {upstream, POLLIN, 0}};
      if (poll(fds, 2, 50) <= 0) continue;
      for (int i = 0; i < 2 && open; ++i) {
        if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        const ssize_t n = read(fds[i].fd, buf, sizeof(buf));
        if (n <= 0) {
          open = false;
          break;
        }
        if (i == 0) {
          if (triggered_.load()) continue;  // held: never reaches Redis
          if (!armed_.load()) {
            if (!WriteAll(upstream, buf, static_cast<size_t>(n))) open = false;
            continue;
          }
          std::string seen = tail + std::string(buf, static_cast<size_t>(n));
          if (seen.find(trigger_) != std::string::npos) {
            triggered_.store(true);
            continue;
          }
          tail = seen.substr(seen.size() > trigger_.size()
                                 ? seen.size() - trigger_.size()
                                 : 0);
          if (!WriteAll(upstream, buf, static_cast<size_t>(n))) open = false;
        } else if (!WriteAll(client, buf, static_cast<size_t>(n))) {
          open = false;
        }
      }
    }
    close(client);
    close(upstream);
  }

  static bool WriteAll(int fd, const char* data, size_t size) {
    while (size > 0) {
      // send(MSG_NOSIGNAL): a peer gone must not SIGPIPE the test binary.
      const ssize_t n = send(fd, data, size, MSG_NOSIGNAL);
      if (n <= 0) return false;
      data += n;
      size -= static_cast<size_t>(n);
    }
    return true;
  }

  int upstream_port_;
  std::string trigger_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> armed_;
  std::atomic<bool> triggered_{false};
  std::atomic<bool> stopping_{false};
  std::thread accept_thread_;
  std::mutex mu_;
  std::vector<std::thread> relays_;  // guarded by mu_
};

}  // namespace arxiv_digest::testing::chaos
