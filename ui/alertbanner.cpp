#include "ui/alertbanner.h"

#include "ui/statusicons.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QToolButton>

namespace bc::ui {

AlertBanner::AlertBanner(QWidget *parent)
    : QFrame(parent)
    , m_icon(new QLabel(this))
    , m_text(new QLabel(this))
    , m_history(new QToolButton(this))
    , m_close(new QToolButton(this))
{
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    QPalette pal = palette();
    pal.setColor(QPalette::Window, pal.color(QPalette::ToolTipBase));
    pal.setColor(QPalette::WindowText, pal.color(QPalette::ToolTipText));
    setPalette(pal);
    m_icon->setPixmap(toneIcon(Tone::Bad).pixmap(16, 16));
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::LinksAccessibleByMouse |
                                    Qt::LinksAccessibleByKeyboard);
    m_text->setAccessibleName(tr("Latest alert"));
    connect(m_text, &QLabel::linkActivated, this, &AlertBanner::historyRequested);
    m_history->setText(tr("All alerts…"));
    m_history->setToolTip(tr("Open the alert history (Ctrl+Shift+H)"));
    m_history->setAutoRaise(true);
    connect(m_history, &QToolButton::clicked, this, &AlertBanner::historyRequested);
    m_close->setText(tr("Dismiss"));
    m_close->setAutoRaise(true);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 4, 4);
    layout->addWidget(m_icon);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_history);
    layout->addWidget(m_close);
    connect(m_close, &QToolButton::clicked, this, &AlertBanner::dismiss);
    hide();
}

void AlertBanner::showAlert(const QString &title, const QString &text)
{
    ++m_unread;
    QString html = QStringLiteral("<b>%1</b> %2").arg(title.toHtmlEscaped(), text.toHtmlEscaped());
    if (m_unread > 1)
        html += QStringLiteral(" <a href=\"history\">") +
                tr("(+%n earlier)", nullptr, m_unread - 1).toHtmlEscaped() + QStringLiteral("</a>");
    m_text->setText(html);
    show();
}

void AlertBanner::dismiss()
{
    m_unread = 0;
    hide();
}

QString AlertBanner::currentText() const
{
    return m_text->text();
}

} // namespace bc::ui
