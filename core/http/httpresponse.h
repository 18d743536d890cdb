#pragma once

#include "core/http/httpheaders.h"

#include <QByteArray>

namespace bc::http {

struct HttpResponse
{
    int status = 0;
    QByteArray reason;
    HttpHeaders headers;
    QByteArray body; // empty for streams (delivered through HttpStream::dataReceived)

    bool isSuccess() const { return status >= 200 && status < 300; }
    QByteArray contentType() const; // media type without parameters, lower case
    // The daemon's message: {"message": …} when JSON, else the text body (trimmed, capped).
    QString serverMessage() const;
};

} // namespace bc::http
