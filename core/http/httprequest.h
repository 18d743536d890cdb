#pragma once

#include "core/http/httpheaders.h"

#include <QByteArray>
#include <QIODevice>

#include <memory>

namespace bc::http {

struct HttpRequest
{
    QByteArray method = "GET";
    QByteArray target = "/"; // path and query, already encoded
    HttpHeaders headers;
    QByteArray body; // sent with Content-Length when bodyDevice is null

    // Streaming upload (build contexts): read until EOF and sent chunked. The device must
    // be open; it is read on the event loop as the socket drains.
    std::shared_ptr<QIODevice> bodyDevice;

    // Time allowed until the response headers arrive; 0 = none. Streams have no timeout
    // once headers are in: a quiet event stream is not a dead one.
    int headerTimeoutMs = 60000;
    // Buffered requests fail with Protocol past this many body bytes.
    qint64 maxBodyBytes = 64 * 1024 * 1024;
    // GET/HEAD on a reused keep-alive connection that fails before any byte arrives is
    // retried once on a fresh connection (the daemon may have restarted meanwhile).
    bool idempotent() const { return method == "GET" || method == "HEAD"; }
    // Ask for a protocol upgrade (Docker attach/exec hijack: Connection: Upgrade, Upgrade: tcp).
    bool upgrade = false;

    static HttpRequest get(const QByteArray &target);
    static HttpRequest head(const QByteArray &target);
    static HttpRequest del(const QByteArray &target);
    static HttpRequest post(const QByteArray &target, const QByteArray &jsonBody = {});
};

} // namespace bc::http
