#pragma once

#include "core/result.h"

#include <QPointer>
#include <QWidget>

class QTabWidget;

namespace bc::docker {
class DockerClient;
struct ExecTarget;
} // namespace bc::docker

namespace bc::ui {

class TerminalWidget;

// The console's terminals: one tab per exec session, independent of which box is
// selected, so a terminal survives switching boxes and detail tabs. Closing a tab ends its
// exec (and the processes of its session in the box).
class TerminalTabs : public QWidget
{
    Q_OBJECT
public:
    explicit TerminalTabs(QWidget *parent = nullptr);
    ~TerminalTabs() override;

    // Asks for user and shell (defaults: the box's user; /bin/bash when the box has it,
    // else /bin/sh), then opens a tab. `box` is the box's name or container id.
    void openInteractive(docker::DockerClient *client, const QString &box);
    // Opens a tab without asking. An empty shell means: probe for bash, else /bin/sh.
    // The result reports a failure to find or enter the box (also shown in the tab).
    void open(docker::DockerClient *client, const QString &box, const QString &user = {},
              const QString &shell = {});

    int count() const;
    TerminalWidget *terminal(int index) const;
    void closeTab(int index);

signals:
    void opened(bc::ui::TerminalWidget *terminal);
    void failed(const QString &message);

private:
    void startSession(docker::DockerClient *client, const docker::ExecTarget &target,
                      const QString &user, const QString &shell, TerminalWidget *terminal);

    QTabWidget *m_tabs;
};

} // namespace bc::ui
