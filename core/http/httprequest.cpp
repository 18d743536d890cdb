#include "core/http/httprequest.h"

namespace bc::http {

HttpRequest HttpRequest::get(const QByteArray &target)
{
    HttpRequest r;
    r.target = target;
    return r;
}

HttpRequest HttpRequest::head(const QByteArray &target)
{
    HttpRequest r;
    r.method = "HEAD";
    r.target = target;
    return r;
}

HttpRequest HttpRequest::del(const QByteArray &target)
{
    HttpRequest r;
    r.method = "DELETE";
    r.target = target;
    return r;
}

HttpRequest HttpRequest::post(const QByteArray &target, const QByteArray &jsonBody)
{
    HttpRequest r;
    r.method = "POST";
    r.target = target;
    if (!jsonBody.isEmpty()) {
        r.body = jsonBody;
        r.headers.set("Content-Type", "application/json");
    }
    return r;
}

} // namespace bc::http
