#include "core/http/responseparser.h"

#include <http_parser.h>

namespace bc::http {

struct ResponseParser::Private
{
    ResponseParser *q = nullptr;
    http_parser parser{};
    http_parser_settings settings{};
    bool headRequest = false;
    bool headComplete = false;
    bool messageComplete = false;
    bool upgraded = false;
    bool keepAlive = false;
    bool interim = false; // inside a 1xx response other than 101
    bool lastWasValue = false;
    qint64 bytesSeen = 0;
    HttpResponse head;
    QByteArray field;
    QByteArray value;

    static Private *self(http_parser *p) { return static_cast<Private *>(p->data); }

    void flushHeader()
    {
        if (!field.isEmpty())
            head.headers.add(field, value.trimmed());
        field.clear();
        value.clear();
    }

    void init()
    {
        http_parser_init(&parser, HTTP_RESPONSE);
        parser.data = this;
        headComplete = messageComplete = upgraded = keepAlive = interim = lastWasValue = false;
        head = HttpResponse();
        field.clear();
        value.clear();
    }
};

ResponseParser::ResponseParser()
    : d(std::make_unique<Private>())
{
    d->q = this;
    http_parser_settings_init(&d->settings);
    d->settings.on_status = [](http_parser *p, const char *at, size_t len) {
        Private::self(p)->head.reason.append(at, qsizetype(len));
        return 0;
    };
    d->settings.on_header_field = [](http_parser *p, const char *at, size_t len) {
        Private *s = Private::self(p);
        if (s->lastWasValue)
            s->flushHeader();
        s->lastWasValue = false;
        s->field.append(at, qsizetype(len));
        return 0;
    };
    d->settings.on_header_value = [](http_parser *p, const char *at, size_t len) {
        Private *s = Private::self(p);
        s->lastWasValue = true;
        s->value.append(at, qsizetype(len));
        return 0;
    };
    d->settings.on_headers_complete = [](http_parser *p) {
        Private *s = Private::self(p);
        s->flushHeader();
        s->head.status = int(p->status_code);
        if (s->head.status >= 100 && s->head.status < 200 && s->head.status != 101) {
            // 100 Continue and friends: skip, the real response follows.
            s->interim = true;
            s->head = HttpResponse();
            s->lastWasValue = false;
            return 0;
        }
        s->headComplete = true;
        s->keepAlive = http_should_keep_alive(p) != 0;
        if (s->q->onHead)
            s->q->onHead(s->head);
        // 1 tells http-parser the response has no body (HEAD, 204 and 304 are handled by it).
        return s->headRequest ? 1 : 0;
    };
    d->settings.on_body = [](http_parser *p, const char *at, size_t len) {
        Private *s = Private::self(p);
        if (s->q->onBody)
            s->q->onBody(at, qsizetype(len));
        return 0;
    };
    d->settings.on_message_complete = [](http_parser *p) {
        Private *s = Private::self(p);
        if (s->interim) {
            s->interim = false;
            return 0;
        }
        s->messageComplete = true;
        s->keepAlive = s->keepAlive && http_should_keep_alive(p) != 0;
        if (s->q->onComplete)
            s->q->onComplete();
        // Stop here: bytes after a complete response are not ours to interpret.
        http_parser_pause(p, 1);
        return 0;
    };
    reset(false);
}

ResponseParser::~ResponseParser() = default;

void ResponseParser::reset(bool headRequest)
{
    d->init();
    d->headRequest = headRequest;
    d->bytesSeen = 0;
}

Result<qsizetype> ResponseParser::feed(const char *data, qsizetype size)
{
    if (d->messageComplete || d->upgraded)
        return qsizetype(0);
    if (size == 0)
        return qsizetype(0);
    const size_t parsed = http_parser_execute(&d->parser, &d->settings, data, size_t(size));
    d->bytesSeen += qint64(parsed);
    const auto err = HTTP_PARSER_ERRNO(&d->parser);
    if (err == HPE_PAUSED)
        http_parser_pause(&d->parser, 0);
    else if (err != HPE_OK)
        return Error(Error::Kind::Protocol,
                     QStringLiteral("malformed HTTP response: %1")
                         .arg(QString::fromLatin1(http_errno_description(err))));
    if (d->parser.upgrade && d->headComplete) {
        // 101: what follows the headers belongs to the upgraded protocol.
        d->upgraded = true;
        d->messageComplete = true;
        d->keepAlive = false;
    }
    return qsizetype(parsed);
}

VoidResult ResponseParser::feed(const QByteArray &data)
{
    auto consumed = feed(data.constData(), data.size());
    if (!consumed)
        return consumed.error();
    return {};
}

VoidResult ResponseParser::finishEof()
{
    if (d->messageComplete)
        return {};
    // Zero-length execute signals EOF: completes a body that runs to the close.
    http_parser_execute(&d->parser, &d->settings, nullptr, 0);
    const auto err = HTTP_PARSER_ERRNO(&d->parser);
    if (err == HPE_PAUSED)
        http_parser_pause(&d->parser, 0);
    if (d->messageComplete)
        return {};
    if (!d->headComplete && d->bytesSeen == 0)
        return Error(Error::Kind::Transport,
                     QStringLiteral("connection closed before any response"));
    return Error(Error::Kind::Protocol, d->headComplete
                                            ? QStringLiteral("connection closed mid-body")
                                            : QStringLiteral("connection closed mid-headers"));
}

bool ResponseParser::headComplete() const
{
    return d->headComplete;
}
bool ResponseParser::messageComplete() const
{
    return d->messageComplete;
}
bool ResponseParser::upgraded() const
{
    return d->upgraded;
}
bool ResponseParser::keepAlive() const
{
    return d->keepAlive;
}
qint64 ResponseParser::bytesSeen() const
{
    return d->bytesSeen;
}

} // namespace bc::http
