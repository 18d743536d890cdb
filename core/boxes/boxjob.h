#pragma once

#include "core/boxes/boxinfo.h"
#include "core/boxes/jobstep.h"
#include "core/result.h"
#include "core/util/oncejob.h"

namespace bc::boxes {

// A long box operation (deploy, delete). Contract: stepStarted/progress any number of times,
// then finished exactly once, also after cancel() (Error::Kind::Cancelled once the rollback
// is done), then the job deletes itself (util::OnceJob). A failed or cancelled deploy has
// removed everything it created before finished is emitted; the error's context names the
// failed step (jobStepName()).
class BoxJob : public util::OnceJob
{
    Q_OBJECT
public:
    using util::OnceJob::OnceJob;

    virtual void cancel() = 0;
    const Result<BoxInfo> &result() const { return m_result; }

signals:
    // step: jobStepName() of a JobStep, kept a string for boxctl's JSON and QML;
    // text: what a person reads.
    void stepStarted(const QString &step, const QString &text);
    void progress(const QString &text);
    void finished(const bc::Result<bc::boxes::BoxInfo> &result);

protected:
    // The only way a job announces a step, so that every step it can emit is a JobStep.
    void startStep(JobStep step, const QString &text) { emit stepStarted(jobStepName(step), text); }

    // Emits finished once; later calls are ignored.
    void finish(const Result<BoxInfo> &result)
    {
        finishOnce([&] {
            m_result = result;
            emit finished(m_result);
        });
    }

private:
    Result<BoxInfo> m_result = Error(Error::Kind::Cancelled, QStringLiteral("not finished"));
};

} // namespace bc::boxes
