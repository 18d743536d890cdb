#pragma once

#include "core/boxes/boxinfo.h"
#include "core/result.h"

#include <QObject>

namespace bc::boxes {

// A long box operation (build, deploy, delete). Contract: stepStarted/progress any number
// of times, then finished exactly once, also after cancel() (Error::Kind::Cancelled once the
// rollback is done). A failed or cancelled deploy has removed everything it created before
// finished is emitted; the error's context names the failed step.
class BoxJob : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    virtual void cancel() = 0;
    bool isFinished() const { return m_finished; }
    const Result<BoxInfo> &result() const { return m_result; }

signals:
    // step: machine name ("validate", "build", "volumes", "network", "create", "start",
    // "health", "rollback", "stop", "remove"); text: what a person reads.
    void stepStarted(const QString &step, const QString &text);
    void progress(const QString &text);
    void finished(const bc::Result<bc::boxes::BoxInfo> &result);

protected:
    // Emits finished once; later calls are ignored.
    void finish(const Result<BoxInfo> &result)
    {
        if (m_finished)
            return;
        m_finished = true;
        m_result = result;
        emit finished(m_result);
    }

private:
    bool m_finished = false;
    Result<BoxInfo> m_result = Error(Error::Kind::Cancelled, QStringLiteral("not finished"));
};

} // namespace bc::boxes
