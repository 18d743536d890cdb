// libFuzzer target for bc::http::ResponseParser: the input is fed in two pieces cut at a
// position taken from its first byte, so header/chunk boundaries land everywhere.
#include "core/http/responseparser.h"

using bc::http::ResponseParser;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    const bool head = data[1] & 1;
    const bool eof = data[1] & 2;
    const QByteArray input(reinterpret_cast<const char *>(data) + 2, qsizetype(size - 2));
    const qsizetype cut = input.isEmpty() ? 0 : data[0] % (input.size() + 1);

    ResponseParser parser;
    parser.reset(head);
    qint64 bodyBytes = 0;
    parser.onHead = [](const bc::http::HttpResponse &) {};
    parser.onBody = [&bodyBytes](const char *, qsizetype n) { bodyBytes += n; };
    parser.onComplete = [] {};
    if (!parser.feed(input.left(cut)))
        return 0;
    if (!parser.feed(input.mid(cut)))
        return 0;
    if (eof)
        (void)parser.finishEof();
    (void)parser.headComplete();
    (void)parser.messageComplete();
    (void)parser.keepAlive();
    return 0;
}
