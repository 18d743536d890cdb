#include "ui/logview.h"

#include "ui/loglinemodel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFile>
#include <QFileDialog>
#include <QFontDatabase>
#include <QFutureWatcher>
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
#include <QtConcurrent/QtConcurrentRun>

namespace bc::ui {

namespace {
constexpr int BatchMs = 100;

struct TimedSearch
{
    LogStore::SearchResult result;
    qint64 endSeq = 0;
    qint64 ms = 0;
};
} // namespace

LogView::LogView(QWidget *parent)
    : QWidget(parent)
    , m_model(new LogLineModel(&m_store, this))
    , m_view(new QListView(this))
    , m_search(new QLineEdit(this))
    , m_pause(new QToolButton(this))
    , m_live(new QPushButton(tr("Jump to live ↓"), this))
    , m_status(new QLabel(this))
    , m_empty(new QLabel(this))
    , m_timestamps(new QCheckBox(tr("&Timestamps"), this))
    , m_regex(new QCheckBox(tr("Rege&x"), this))
    , m_wrap(new QCheckBox(tr("&Wrap"), this))
    , m_tail(new QSpinBox(this))
    , m_since(new QComboBox(this))
{
    m_view->setModel(m_model);
    m_view->setUniformItemSizes(true); // no per-row size queries for a million rows
    m_view->setLayoutMode(QListView::Batched);
    m_view->setVerticalScrollMode(QAbstractItemView::ScrollPerItem);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideNone);
    m_view->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);

    m_view->setAccessibleName(tr("Log lines"));
    m_search->setPlaceholderText(tr("Search log (Enter: next, Shift+Enter: previous)"));
    m_search->setAccessibleName(tr("Search log"));
    m_regex->setToolTip(tr("Search with a regular expression (PCRE, case-insensitive)"));
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
    bar->addWidget(m_regex);
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
    connect(m_live, &QPushButton::clicked, this, &LogView::jumpToLive);
    connect(m_pause, &QToolButton::toggled, this, &LogView::setPaused);
    connect(clearButton, &QToolButton::clicked, this, &LogView::clear);
    connect(save, &QToolButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Save log"), m_defaultFileName,
                                                          tr("Log files (*.log *.txt)"));
        if (!path.isEmpty())
            saveInBackground(path);
    });
    connect(m_search, &QLineEdit::returnPressed, this, [this] { findNext(false); });
    connect(m_regex, &QCheckBox::toggled, this, [this] {
        if (!m_search->text().isEmpty())
            findNext(false);
    });
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
    const bool show =
        m_model->rowCount() == 0 && m_store.lineCount() == 0 && !m_empty->text().isEmpty();
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
    appendBytes(text.toUtf8(), stderrStream);
}

void LogView::appendBytes(QByteArrayView utf8, bool stderrStream)
{
    m_store.append(utf8, stderrStream);
    if (!m_paused && !m_batchTimer.isActive())
        m_batchTimer.start();
}

void LogView::appendLines(const QStringList &lines, bool stderrStream)
{
    for (const QString &line : lines)
        m_store.appendLine(line.toUtf8(), stderrStream);
    if (!lines.isEmpty() && !m_paused && !m_batchTimer.isActive())
        m_batchTimer.start();
}

void LogView::flushPending()
{
    if (m_paused)
        return;
    const int before = m_model->rowCount();
    QScrollBar *sb = m_view->verticalScrollBar();
    const int position = sb->value();
    const int removed = m_model->sync();
    if (removed > 0 && !m_following) {
        // Lines vanished above the reader: move the scroll position with the text so the
        // line being read stays where it is.
        m_adjusting = true;
        sb->setValue(std::max(0, position - removed));
        m_adjusting = false;
    }
    if (m_following)
        m_view->scrollToBottom();
    else if (m_model->rowCount() != before || removed > 0)
        m_live->setVisible(true);
}

void LogView::clear()
{
    ++m_searchGeneration;
    m_searching = false;
    m_hits.clear();
    m_hitsEnd = -1;
    m_store.clear();
    m_model->reset();
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

void LogView::setSearchText(const QString &text, bool regex)
{
    const QSignalBlocker block(m_regex);
    m_regex->setChecked(regex);
    m_search->setText(text);
}

bool LogView::findNext(bool backwards)
{
    const QString needle = m_search->text();
    if (needle.isEmpty())
        return false;
    m_navigateBackwards = backwards;
    if (needle != m_hitsPattern || m_regex->isChecked() != m_hitsRegex ||
        m_hitsEnd != m_store.endSeq()) {
        startSearch(backwards);
        return true;
    }
    if (!m_searching)
        showHit(backwards);
    return true;
}

void LogView::startSearch(bool backwards)
{
    m_navigateBackwards = backwards;
    m_searching = true;
    const quint64 generation = ++m_searchGeneration;
    const QString pattern = m_search->text();
    const bool regex = m_regex->isChecked();
    m_hitsPattern = pattern;
    m_hitsRegex = regex;
    m_hitsEnd = m_store.endSeq();
    setStatus(tr("Searching %1 lines…").arg(QLocale().toString(m_store.lineCount())));
    LogStore::Snapshot snapshot = m_store.snapshot();
    const qint64 endSeq = m_store.endSeq();
    auto *watcher = new QFutureWatcher<TimedSearch>(this);
    connect(watcher, &QFutureWatcher<TimedSearch>::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_searchGeneration)
            return; // the pattern or the log changed meanwhile
        const TimedSearch found = watcher->result();
        m_searching = false;
        m_hits = found.result.hits;
        if (!found.result.error.isEmpty()) {
            setStatus(tr("Invalid regular expression: %1").arg(found.result.error));
            emit searchFinished(0, found.result.error);
            return;
        }
        if (m_hits.empty())
            setStatus(tr("“%1” not found in %2 lines")
                          .arg(m_hitsPattern, QLocale().toString(found.result.searchedLines)));
        else
            showHit(m_navigateBackwards);
        emit searchFinished(int(m_hits.size()), QString());
    });
    watcher->setFuture(QtConcurrent::run([snapshot = std::move(snapshot), pattern, regex, endSeq] {
        QElapsedTimer clock;
        clock.start();
        TimedSearch t;
        t.result = LogStore::search(snapshot, pattern, regex);
        t.endSeq = endSeq;
        t.ms = clock.elapsed();
        return t;
    }));
}

void LogView::showHit(bool backwards)
{
    if (!m_paused)
        flushPending(); // hits in lines that arrived after the last batch
    // Only lines the view shows can be gone to: not those the cap dropped since the
    // search, nor those held back while paused.
    const qint64 firstShown = m_model->sequenceAt(m_model->hasMarker() ? 1 : 0);
    const qint64 lastShown = m_model->sequenceAt(m_model->rowCount() - 1);
    const auto shown = std::lower_bound(m_hits.begin(), m_hits.end(), firstShown);
    const auto shownEnd = std::upper_bound(shown, m_hits.end(), lastShown);
    if (firstShown < 0 || shown == shownEnd) {
        setStatus(tr("“%1” not found").arg(m_hitsPattern));
        return;
    }
    const QModelIndex current = m_view->currentIndex();
    const qint64 here = current.isValid() ? m_model->sequenceAt(current.row()) : -1;
    auto it = shown;
    if (backwards) {
        const qint64 from = here < 0 ? m_store.endSeq() : here;
        it = std::lower_bound(shown, shownEnd, from);
        it = it == shown ? shownEnd - 1 : it - 1;
    } else {
        it = std::upper_bound(shown, shownEnd, here);
        if (it == shownEnd)
            it = shown;
    }
    const int row = m_model->rowOf(*it);
    if (row < 0)
        return;
    const QModelIndex idx = m_model->index(row);
    m_view->setCurrentIndex(idx);
    m_view->scrollTo(idx, QAbstractItemView::PositionAtCenter);
    updateFollowState();
    setStatus(tr("Match %1 of %2 · line %3 of %4")
                  .arg(QLocale().toString(qint64(it - shown + 1)),
                       QLocale().toString(qint64(shownEnd - shown)), QLocale().toString(*it + 1),
                       QLocale().toString(m_store.endSeq())));
}

namespace {

bool saveSnapshot(const LogStore::Snapshot &snapshot, const QString &path, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = file.errorString();
        return false;
    }
    if (!LogStore::write(snapshot, &file, error)) {
        file.cancelWriting();
        return false;
    }
    if (!file.commit()) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}

} // namespace

bool LogView::saveTo(const QString &path, QString *error) const
{
    return saveSnapshot(m_store.snapshot(), path, error);
}

void LogView::saveInBackground(const QString &path)
{
    LogStore::Snapshot snapshot = m_store.snapshot();
    const qint64 lines = snapshot.lineCount();
    setStatus(tr("Saving %1 lines to %2…").arg(QLocale().toString(lines), path));
    auto *watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher, path, lines] {
        watcher->deleteLater();
        const QString error = watcher->result();
        if (!error.isEmpty())
            setStatus(tr("Could not save: %1").arg(error));
        else
            setStatus(tr("Saved %1 lines to %2").arg(QLocale().toString(lines), path));
        emit saved(error.isEmpty(), error);
    });
    watcher->setFuture(QtConcurrent::run([snapshot = std::move(snapshot), path] {
        QString error;
        if (!saveSnapshot(snapshot, path, &error) && error.isEmpty())
            error = LogView::tr("write failed");
        return error;
    }));
}

} // namespace bc::ui
