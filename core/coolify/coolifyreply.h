#pragma once

#include <QByteArray>
#include <QMap>

namespace bc::coolify {

// One HTTP answer from Coolify, as the transport hands it on: the JSON readers and the
// error mapping read it without needing the client.
struct CoolifyReply
{
    int status = 0;
    QByteArray body;
    QByteArray contentType;
    QMap<QByteArray, QByteArray> headers; // lower-case names
};

} // namespace bc::coolify
