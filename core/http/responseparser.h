#pragma once

#include "core/http/httpresponse.h"
#include "core/result.h"

#include <QByteArray>

#include <functional>
#include <memory>

namespace bc::http {

// Incremental HTTP/1.1 response parser over http-parser (Debian's libhttp-parser):
// Content-Length, chunked and close-delimited bodies, HEAD responses, interim 1xx
// responses, and 101 upgrades. Bytes may arrive split at any position.
class ResponseParser
{
public:
    ResponseParser();
    ~ResponseParser();
    ResponseParser(const ResponseParser &) = delete;
    ResponseParser &operator=(const ResponseParser &) = delete;

    // Prepares for the response to one request; HEAD responses have no body whatever
    // Content-Length says.
    void reset(bool headRequest = false);

    // Called as the parse progresses. onHead gets status, reason and headers (no body).
    std::function<void(const HttpResponse &head)> onHead;
    std::function<void(const char *data, qsizetype size)> onBody;
    std::function<void()> onComplete;

    // Feeds bytes. Returns how many were consumed: fewer than `size` only after a 101
    // upgrade (the rest belongs to the new protocol) or once the message is complete
    // (extra bytes are then a protocol error for the caller to judge).
    Result<qsizetype> feed(const char *data, qsizetype size);
    VoidResult feed(const QByteArray &data);
    // The peer closed: completes a close-delimited body, or fails an unfinished message.
    VoidResult finishEof();

    bool headComplete() const;
    bool messageComplete() const;
    bool upgraded() const;
    // Whether the connection may carry another request after this response.
    bool keepAlive() const;
    qint64 bytesSeen() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace bc::http
