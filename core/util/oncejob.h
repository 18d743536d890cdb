#pragma once

#include <QObject>

namespace bc::util {

// The base of long operations (an image build, a box deploy or delete) whose finished
// signal is delivered exactly once, however many paths reach the end (cancel, a dying
// client, the last step). With setAutoDelete(true) the job then deletes itself with
// deleteLater() (an image build does). Box jobs do not by default: their callers read
// result() after waiting (tests wait for several jobs in turn, boxctl after its event loop
// quits), and a self-deleting box job was deleted under them; whoever waits deletes it.
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
    bool m_autoDelete = false;
};

} // namespace bc::util
