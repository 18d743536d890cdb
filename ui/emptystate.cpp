#include "ui/emptystate.h"

#include "ui/consoleicon.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace bc::ui {

EmptyState::EmptyState(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("emptyState"));
    auto *text = new QLabel(tr("<h3>No boxes yet</h3><p>A box is a hardened container "
                               "for one user. Deploy the first one, or add an engine in "
                               "Settings.</p>"),
                            this);
    text->setAlignment(Qt::AlignCenter);
    text->setWordWrap(true);
    m_deploy = new QPushButton(consoleIcon("deploy"), tr("&Deploy a box…"), this);
    connect(m_deploy, &QPushButton::clicked, this, &EmptyState::deployRequested);
    auto *settings = new QPushButton(consoleIcon("settings"), tr("Engines and settings…"), this);
    connect(settings, &QPushButton::clicked, this, &EmptyState::settingsRequested);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch();
    buttons->addWidget(m_deploy);
    buttons->addWidget(settings);
    buttons->addStretch();
    auto *layout = new QVBoxLayout(this);
    layout->addStretch();
    layout->addWidget(text);
    layout->addLayout(buttons);
    layout->addStretch(2);
}

} // namespace bc::ui
