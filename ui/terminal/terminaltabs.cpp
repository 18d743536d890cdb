#include "ui/terminal/terminaltabs.h"

#include "core/policy/activitymarker.h"

#include "core/docker/dockerclient.h"
#include "core/docker/execsession.h"
#include "core/docker/exectarget.h"
#include "core/util/futureutil.h"
#include "ui/terminal/terminalwidget.h"

#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QTabWidget>
#include <QVBoxLayout>

namespace bc::ui {

TerminalTabs::TerminalTabs(QWidget *parent)
    : QWidget(parent)
    , m_tabs(new QTabWidget(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tabs);
    m_tabs->setTabsClosable(true);
    m_tabs->setMovable(true);
    m_tabs->setDocumentMode(true);
    connect(m_tabs, &QTabWidget::tabCloseRequested, this, &TerminalTabs::closeTab);
}

TerminalTabs::~TerminalTabs() = default;

int TerminalTabs::count() const
{
    return m_tabs->count();
}

TerminalWidget *TerminalTabs::terminal(int index) const
{
    return qobject_cast<TerminalWidget *>(m_tabs->widget(index));
}

void TerminalTabs::closeTab(int index)
{
    TerminalWidget *t = terminal(index);
    m_tabs->removeTab(index);
    if (t) {
        t->terminate();
        t->deleteLater();
    }
}

void TerminalTabs::openInteractive(docker::DockerClient *client, const QString &box)
{
    QPointer<TerminalTabs> self(this);
    QPointer<docker::DockerClient> c(client);
    onFinished(docker::resolveExecTarget(client, box), this,
               [self, c, box](const Result<docker::ExecTarget> &target) {
                   if (!self || !c)
                       return;
                   if (!target) {
                       emit self->failed(target.error().toString());
                       return;
                   }
                   if (const auto running = docker::checkRunning(*target); !running) {
                       emit self->failed(running.error().toString());
                       return;
                   }
                   QDialog dialog(self);
                   dialog.setWindowTitle(tr("Open terminal in %1").arg(box));
                   auto *form = new QFormLayout(&dialog);
                   auto *user = new QLineEdit(&dialog);
                   user->setPlaceholderText(target->boxUser.isEmpty() ? QStringLiteral("1000:1000")
                                                                      : target->boxUser);
                   user->setToolTip(tr("Empty: the box's own user. root only where the box's "
                                       "profile allows it."));
                   auto *shell = new QComboBox(&dialog);
                   shell->setEditable(true);
                   shell->addItems({tr("automatic (bash if present, else sh)"),
                                    QStringLiteral("/bin/sh"), QStringLiteral("/bin/bash")});
                   form->addRow(tr("User:"), user);
                   form->addRow(tr("Shell:"), shell);
                   auto *buttons =
                       new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
                   form->addRow(buttons);
                   connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
                   connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
                   if (dialog.exec() != QDialog::Accepted || !self || !c)
                       return;
                   const QString chosenShell =
                       shell->currentIndex() == 0 && shell->currentText() == shell->itemText(0)
                           ? QString()
                           : shell->currentText().trimmed();
                   self->open(c, box, user->text().trimmed(), chosenShell);
               });
}

void TerminalTabs::open(docker::DockerClient *client, const QString &box, const QString &user,
                        const QString &shell)
{
    auto *terminal = new TerminalWidget(m_tabs);
    const int index = m_tabs->addTab(terminal, box);
    m_tabs->setCurrentIndex(index);
    terminal->setFocus();
    QPointer<TerminalWidget> t(terminal);
    QPointer<docker::DockerClient> c(client);
    auto refuse = [this, t](const Error &e) {
        if (t)
            t->emulator()->feed("\x1b[31m" + e.toString().toUtf8() + "\x1b[0m\r\n");
        emit failed(e.toString());
    };
    onFinished(docker::resolveExecTarget(client, box), terminal,
               [this, t, c, user, shell, refuse](const Result<docker::ExecTarget> &target) {
                   if (!t || !c)
                       return;
                   if (!target) {
                       refuse(target.error());
                       return;
                   }
                   if (const auto running = docker::checkRunning(*target); !running) {
                       refuse(running.error());
                       return;
                   }
                   const auto who = docker::execpolicy::chooseUser(*target, user);
                   if (!who) {
                       refuse(who.error());
                       return;
                   }
                   if (!shell.isEmpty()) {
                       startSession(c, *target, who.value(), shell, t);
                       return;
                   }
                   const docker::ExecTarget tg = *target;
                   onFinished(docker::probeShell(c, tg.containerId, who.value()), t.data(),
                              [this, t, c, tg, who, refuse](const Result<QString> &sh) {
                                  if (!t || !c)
                                      return;
                                  if (!sh) {
                                      refuse(sh.error());
                                      return;
                                  }
                                  startSession(c, tg, who.value(), sh.value(), t);
                              });
               });
}

void TerminalTabs::startSession(docker::DockerClient *client, const docker::ExecTarget &target,
                                const QString &user, const QString &shell, TerminalWidget *terminal)
{
    docker::ExecOptions o;
    o.cmd = {shell};
    o.user = user;
    o.tty = true;
    o.attachStdin = true;
    o.env = {QStringLiteral("TERM=xterm-256color"), QStringLiteral("COLORTERM=truecolor")};
    o.cols = terminal->emulator()->cols();
    o.rows = terminal->emulator()->rows();
    auto *session = new docker::ExecSession(client, target.containerId, o);
    const int index = m_tabs->indexOf(terminal);
    if (index >= 0)
        m_tabs->setTabText(index, QStringLiteral("%1 (%2)").arg(
                                      target.box.isEmpty() ? target.name : target.box, user));
    // An open terminal is someone at the box: it keeps the idle stop away while it runs.
    auto *presence = new policy::ActivityMarker(client, target.containerId, terminal);
    presence->start();
    connect(terminal, &TerminalWidget::exited, presence, &policy::ActivityMarker::stop);
    connect(terminal, &TerminalWidget::exited, this, [this, terminal] {
        const int i = m_tabs->indexOf(terminal);
        if (i >= 0)
            m_tabs->setTabText(i, m_tabs->tabText(i) + tr(" [exited]"));
    });
    terminal->attach(session);
    emit opened(terminal);
}

} // namespace bc::ui
