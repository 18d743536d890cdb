#include "ui/logview.h"

#include "ui/models/logmodel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QResizeEvent>
#include <QSaveFile>
#include <QScrollBar>
#include <QShortcut>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

namespace bc::ui {

namespace {
constexpr int BatchMs = 100;
// While paused, at most this much text waits; beyond it the oldest waiting text goes
// (the model's own cap would drop it anyway once appended).
constexpr qsizetype MaxPendingBytes = 8 * 1024 * 1024;
} // namespace

LogView::LogView(QWidget *parent)
    : QWidget(parent)
    , m_model(new LogModel(this))
    , m_view(new QListView(this))
    , m_search(new QLineEdit(this))
    , m_pause(new QToolButton(this))
    , m_live(new QPushButton(tr("Jump to live ↓"), this))
    , m_status(new QLabel(this))
    , m_empty(new QLabel(this))
    , m_timestamps(new QCheckBox(tr("&Timestamps"), this))
    , m_wrap(new QCheckBox(tr("&Wrap"), this))
    , m_tail(new QSpinBox(this))
    , m_since(new QComboBox(this))
{
    m_view->setModel(m_model);
    m_view->setUniformItemSizes(true); // O(1) layout for 10 000 rows
    m_view->setVerticalScrollMode(QAbstractItemView::ScrollPerItem);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideNone);
    m_view->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);

    m_view->setAccessibleName(tr("Log lines"));
    m_search->setPlaceholderText(tr("Search log (Enter: next, Shift+Enter: previous)"));
    m_search->setAccessibleName(tr("Search log"));
    m_timestamps->setToolTip(tr("Prefix each line with the engine's timestamp"));
    m_wrap->setToolTip(tr("Wrap long lines instead of scrolling sideways"));
    m_tail->setRange(0, 100000);
    m_tail->setSingleStep(100);
    m_tail->setValue(500);
    m_tail->setSpecialValueText(tr("all"));
    m_tail->setPrefix(tr("last "));
    m_tail->setSuffix(tr(" lines"));
    m_tail->setAccessibleName(tr("Lines to show"));
    m_tail->setToolTip(tr("How many of the latest lines to read (0 = all)"));
    m_since->addItem(tr("from the start"), 0);
    m_since->addItem(tr("last 5 minutes"), 300);
    m_since->addItem(tr("last hour"), 3600);
    m_since->addItem(tr("last 24 hours"), 86400);
    m_since->setAccessibleName(tr("Since"));
    m_since->setToolTip(tr("How far back to read"));
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setAttribute(Qt::WA_TransparentForMouseEvents);
    QPalette mutedPal = m_empty->palette();
    mutedPal.setColor(QPalette::WindowText, mutedPal.color(QPalette::PlaceholderText));
    m_empty->setPalette(mutedPal);
    m_empty->hide();
    connect(m_timestamps, &QCheckBox::toggled, this, &LogView::optionsChanged);
    connect(m_tail, &QSpinBox::editingFinished, this, &LogView::optionsChanged);
    connect(m_since, &QComboBox::currentIndexChanged, this, &LogView::optionsChanged);
    connect(m_wrap, &QCheckBox::toggled, this, &LogView::setWrap);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &LogView::updateEmpty);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &LogView::updateEmpty);
    connect(m_model, &QAbstractItemModel::modelReset, this, &LogView::updateEmpty);
    m_search->setClearButtonEnabled(true);
    m_pause->setText(tr("Pause"));
    m_pause->setCheckable(true);
    m_pause->setToolTip(tr("Hold new lines without losing them"));
    auto *save = new QToolButton(this);
    save->setText(tr("Save…"));
    auto *clearButton = new QToolButton(this);
    clearButton->setText(tr("Clear"));
    m_live->setVisible(false);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_search, 1);
    bar->addWidget(m_since);
    bar->addWidget(m_tail);
    bar->addWidget(m_timestamps);
    bar->addWidget(m_wrap);
    bar->addWidget(m_pause);
    bar->addWidget(clearButton);
    bar->addWidget(save);
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_status, 1);
    bottom->addWidget(m_live);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);
    layout->addLayout(bottom);

    m_batchTimer.setInterval(BatchMs);
    m_batchTimer.setSingleShot(true);
    connect(&m_batchTimer, &QTimer::timeout, this, &LogView::flushPending);

    connect(m_view->verticalScrollBar(), &QScrollBar::valueChanged, this,
            &LogView::updateFollowState);
    connect(m_view->verticalScrollBar(), &QScrollBar::rangeChanged, this, [this] {
        if (m_following && !m_adjusting)
            m_view->scrollToBottom();
    });
    connect(m_model, &LogModel::linesDropped, this, [this](int count) {
        // Lines vanished above the reader: move the scroll position with the text so the
        // line being read stays where it is.
        if (m_following)
            return;
        QScrollBar *sb = m_view->verticalScrollBar();
        m_adjusting = true;
        sb->setValue(std::max(0, sb->value() - count));
        m_adjusting = false;
    });
    connect(m_live, &QPushButton::clicked, this, &LogView::jumpToLive);
    connect(m_pause, &QToolButton::toggled, this, &LogView::setPaused);
    connect(clearButton, &QToolButton::clicked, this, &LogView::clear);
    connect(save, &QToolButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Save log"), m_defaultFileName,
                                                          tr("Log files (*.log *.txt)"));
        if (path.isEmpty())
            return;
        QString error;
        if (!saveTo(path, &error))
            setStatus(tr("Could not save: %1").arg(error));
        else
            setStatus(tr("Saved %n lines to %1", nullptr, m_model->rowCount()).arg(path));
    });
    connect(m_search, &QLineEdit::returnPressed, this, [this] { findNext(false); });
    auto *prev = new QShortcut(QKeySequence(Qt::SHIFT | Qt::Key_Return), m_search);
    prev->setContext(Qt::WidgetShortcut);
    connect(prev, &QShortcut::activated, this, [this] { findNext(true); });
    auto *findKey = new QShortcut(QKeySequence::Find, this);
    findKey->setContext(Qt::WidgetWithChildrenShortcut);
    connect(findKey, &QShortcut::activated, this, [this] {
        m_search->setFocus();
        m_search->selectAll();
    });
}

bool LogView::timestamps() const
{
    return m_timestamps->isChecked();
}

int LogView::tail() const
{
    return m_tail->value() == 0 ? -1 : m_tail->value();
}

qint64 LogView::sinceSeconds() const
{
    return m_since->currentData().toLongLong();
}

bool LogView::wrap() const
{
    return m_wrap->isChecked();
}

void LogView::setWrap(bool on)
{
    if (m_wrap->isChecked() != on)
        m_wrap->setChecked(on);
    // Wrapped rows differ in height: uniform sizes would cut them.
    m_view->setUniformItemSizes(!on);
    m_view->setWordWrap(on);
    m_view->setHorizontalScrollBarPolicy(on ? Qt::ScrollBarAlwaysOff : Qt::ScrollBarAsNeeded);
    m_view->doItemsLayout();
}

void LogView::setEmptyText(const QString &text)
{
    m_empty->setText(text);
    updateEmpty();
}

QString LogView::emptyText() const
{
    return m_empty->text();
}

bool LogView::emptyTextVisible() const
{
    return m_empty->isVisible();
}

void LogView::updateEmpty()
{
    const bool show = m_model->rowCount() == 0 && m_pending.isEmpty() && !m_empty->text().isEmpty();
    if (show) {
        m_empty->setGeometry(m_view->geometry().adjusted(12, 12, -12, -12));
        m_empty->raise();
    }
    m_empty->setVisible(show);
}

void LogView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    updateEmpty();
}

void LogView::appendText(const QString &text, bool stderrStream)
{
    if (!m_pending.isEmpty() && m_pending.last().stderrStream == stderrStream)
        m_pending.last().text += text;
    else
        m_pending.append({text, stderrStream});
    m_pendingBytes += text.size();
    while (m_pendingBytes > MaxPendingBytes && m_pending.size() > 1) {
        m_pendingBytes -= m_pending.first().text.size();
        m_pending.removeFirst();
    }
    if (!m_paused && !m_batchTimer.isActive())
        m_batchTimer.start();
}

void LogView::appendLines(const QStringList &lines, bool stderrStream)
{
    if (lines.isEmpty())
        return;
    appendText(lines.join(QLatin1Char('\n')) + QLatin1Char('\n'), stderrStream);
}

void LogView::flushPending()
{
    if (m_paused)
        return;
    const QList<Pending> pending = std::exchange(m_pending, {});
    m_pendingBytes = 0;
    for (const Pending &p : pending)
        m_model->appendText(p.text, p.stderrStream);
    if (m_following)
        m_view->scrollToBottom();
    else if (!pending.isEmpty())
        m_live->setVisible(true);
}

void LogView::clear()
{
    m_pending.clear();
    m_pendingBytes = 0;
    m_model->clear();
    m_following = true;
    m_live->setVisible(false);
    updateEmpty();
}

void LogView::setStatus(const QString &text)
{
    m_status->setText(text);
}

void LogView::setPaused(bool paused)
{
    if (m_paused == paused)
        return;
    m_paused = paused;
    if (m_pause->isChecked() != paused)
        m_pause->setChecked(paused);
    m_pause->setText(paused ? tr("Resume") : tr("Pause"));
    if (!paused)
        flushPending();
}

void LogView::updateFollowState()
{
    if (m_adjusting)
        return;
    const QScrollBar *sb = m_view->verticalScrollBar();
    // Following means "pinned to the bottom"; the reader scrolling up releases it.
    m_following = sb->value() >= sb->maximum();
    if (m_following)
        m_live->setVisible(false);
}

void LogView::jumpToLive()
{
    m_following = true;
    m_live->setVisible(false);
    setPaused(false);
    m_view->scrollToBottom();
}

bool LogView::findNext(bool backwards)
{
    const QString needle = m_search->text();
    if (needle.isEmpty())
        return false;
    const int current = m_view->currentIndex().isValid() ? m_view->currentIndex().row() : -1;
    const int from = backwards ? current - 1 : current + 1;
    const int row = m_model->find(needle, from < 0 ? m_model->rowCount() - 1 : from, backwards);
    if (row < 0) {
        setStatus(tr("“%1” not found").arg(needle));
        return false;
    }
    const QModelIndex idx = m_model->index(row);
    m_view->setCurrentIndex(idx);
    m_view->scrollTo(idx, QAbstractItemView::PositionAtCenter);
    updateFollowState();
    setStatus(tr("Line %1 of %2").arg(row + 1).arg(m_model->rowCount()));
    return true;
}

bool LogView::saveTo(const QString &path, QString *error) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text)) {
        if (error)
            *error = file.errorString();
        return false;
    }
    for (const QString &line : m_model->allLines()) {
        file.write(line.toUtf8());
        file.write("\n");
    }
    if (!file.commit()) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}

} // namespace bc::ui
