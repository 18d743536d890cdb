#pragma once

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTcpServer>

namespace bc::test {

// A webhook endpoint on 127.0.0.1: records each POSTed JSON body and answers it with the
// next status of `statuses` (the last one repeats); 0 never answers, keeping the
// connection open as a hung receiver does.
class WebhookReceiver : public QObject
{
public:
    explicit WebhookReceiver(QList<int> statuses = {200});

    QString url() const;
    QList<QJsonObject> bodies;

    // Bodies of this alert kind about this box.
    int count(const QString &kind, const QString &box) const;
    // Alert ids received more than once.
    QStringList duplicateIds() const;

private:
    QTcpServer m_server;
    QList<int> m_statuses;
    int m_next = 0;
};

} // namespace bc::test
