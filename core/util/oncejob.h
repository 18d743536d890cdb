#pragma once

#include <QObject>

namespace bc::util {

// The base of long operations (an image build, a box deploy or delete) whose finished
// signal is delivered exactly once, however many paths reach the end (cancel, a dying
// client, the last step). Afterwards the job deletes itself with deleteLater(), so that a
// job parented to a long-lived object (a backend, a client) does not live as long as it:
// slots connected to finished, and code right after an event loop that finished quit, can
// still read it. An owner that deletes the job itself calls setAutoDelete(false).
// No Q_OBJECT: it has no signals of its own (core_base is built without moc), so the
// subclasses' meta-objects chain straight to QObject's.
class OnceJob : public QObject
{
public:
    using QObject::QObject;

    bool isFinished() const { return m_finished; }
    bool autoDelete() const { return m_autoDelete; }
    void setAutoDelete(bool autoDelete) { m_autoDelete = autoDelete; }

protected:
    // The first call marks the job finished and runs emitFinished (which emits the
    // subclass's finished signal); later calls do nothing. False when already finished.
    template <typename EmitFinished> bool finishOnce(EmitFinished &&emitFinished)
    {
        if (m_finished)
            return false;
        m_finished = true;
        emitFinished();
        if (m_autoDelete)
            deleteLater();
        return true;
    }

private:
    bool m_finished = false;
    bool m_autoDelete = true;
};

} // namespace bc::util
