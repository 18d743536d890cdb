#include "ui/terminal/terminalwidget.h"

#include "core/docker/execsession.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QFontDatabase>
#include <QFontMetricsF>
#include <QKeyEvent>
#include <QLineEdit>
#include <QMenu>
#include <QPainter>
#include <QScrollBar>

namespace bc::ui {

namespace {
// Backlog at which the session stops reading, and at which it reads again.
constexpr qint64 PauseAbove = 4 * 1024 * 1024;
constexpr qint64 ResumeBelow = 512 * 1024;
// Up to this much unparsed output is parsed at once; more waits for the paint tick.
constexpr qint64 InteractiveBytes = 16 * 1024;
} // namespace

TerminalWidget::TerminalWidget(QWidget *parent)
    : QWidget(parent)
    , m_scrollBar(new QScrollBar(Qt::Vertical, this))
    , m_findBar(new QLineEdit(this))
{
    setFocusPolicy(Qt::StrongFocus);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setAttribute(Qt::WA_InputMethodEnabled, false);
    setCursor(Qt::IBeamCursor);
    m_font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_boldFont = m_font;
    m_boldFont.setBold(true);
    const QFontMetrics fm(m_font);
    m_cell = QSize(std::max(1, fm.horizontalAdvance(QLatin1Char('M'))), std::max(1, fm.height()));
    m_ascent = fm.ascent();
    // Each run of cells is drawn as one string: the font's own (fractional) advance must be
    // the cell width exactly, or a long run drifts off the grid and the next run, drawn at
    // its cell, overwrites its end (`ls --color`: the time under the file name).
    for (QFont *f : {&m_font, &m_boldFont})
        f->setLetterSpacing(QFont::AbsoluteSpacing,
                            m_cell.width() - QFontMetricsF(*f).horizontalAdvance(QLatin1Char('M')));
    m_scrollBar->setCursor(Qt::ArrowCursor);
    m_scrollBar->setFocusPolicy(Qt::NoFocus);
    connect(m_scrollBar, &QScrollBar::valueChanged, this, [this](int v) {
        const int offset = m_scrollBar->maximum() - v;
        if (offset != m_scrollOffset) {
            m_scrollOffset = offset;
            update();
        }
    });
    m_findBar->setPlaceholderText(tr("Find in scrollback (Enter: previous match, Esc: close)"));
    m_findBar->hide();
    connect(m_findBar, &QLineEdit::returnPressed, this, [this] { find(m_findBar->text()); });
    connect(m_findBar, &QLineEdit::textChanged, this, [this] {
        m_hitLine = -1;
        find(m_findBar->text());
    });
    auto *close = new QAction(m_findBar);
    close->setShortcut(Qt::Key_Escape);
    close->setShortcutContext(Qt::WidgetShortcut);
    m_findBar->addAction(close);
    connect(close, &QAction::triggered, this, [this] {
        m_findBar->hide();
        m_hitLine = -1;
        setFocus();
        update();
    });
    m_tick.setInterval(16);
    connect(&m_tick, &QTimer::timeout, this, &TerminalWidget::tick);
    m_tick.start();
    connect(&m_emulator, &TerminalEmulator::titleChanged, this, &TerminalWidget::titleChanged);
    connect(&m_emulator, &TerminalEmulator::scrollbackChanged, this, [this] {
        if (m_scrollOffset > 0) {
            m_scrollOffset = std::min(m_scrollOffset, m_emulator.scrollbackSize());
            m_repaintAll = true; // the text under a scrolled-back view moved
        }
        syncScrollBar();
    });
    connect(&m_emulator, &TerminalEmulator::sendData, this, [this](const QByteArray &bytes) {
        if (m_session)
            m_session->write(bytes);
    });
    updateGeometryFromSize();
}

TerminalWidget::~TerminalWidget()
{
    // Nobody may hear from a half-destroyed widget (its tab widget may be going too).
    blockSignals(true);
    terminate();
}

void TerminalWidget::attach(docker::ExecSession *session)
{
    m_session = session;
    session->setParent(this);
    connect(session, &docker::ExecSession::stdoutReceived, this, [this](const QByteArray &d) {
        m_emulator.feed(d);
        if (m_emulator.pendingBytes() <= InteractiveBytes) {
            // Typing: echo appears now, not on the next tick.
            m_emulator.process(4);
            repaintDamage();
        } else if (m_session && m_emulator.pendingBytes() > PauseAbove) {
            m_session->setPaused(true);
        }
    });
    connect(session, &docker::ExecSession::stderrReceived, this,
            [this](const QByteArray &d) { m_emulator.feed(d); });
    connect(session, &docker::ExecSession::finished, this, [this](const Result<int> &r) {
        m_exited = true;
        QByteArray note = "\r\n\x1b[2m[";
        if (r)
            note += "process exited with code " + QByteArray::number(r.value());
        else
            note += r.error().toString().toUtf8();
        note += "]\x1b[0m\r\n";
        m_emulator.feed(note);
        emit exited(r);
    });
    session->resize(m_emulator.cols(), m_emulator.rows());
    if (!session->isStarted() && !session->isFinished())
        session->start();
}

void TerminalWidget::terminate()
{
    if (m_session && !m_session->isFinished())
        m_session->terminate();
}

void TerminalWidget::tick()
{
    const bool more = m_emulator.process(8);
    if (m_session && m_session->isPaused() && m_emulator.pendingBytes() < ResumeBelow)
        m_session->setPaused(false);
    repaintDamage();
    if (!more && !isVisible())
        return;
}

void TerminalWidget::repaintDamage()
{
    int first = 0, last = 0;
    if (!m_emulator.takeDamage(&first, &last))
        return;
    if (std::exchange(m_repaintAll, false)) {
        update();
        return;
    }
    // Only the rows libvterm reported: an echo repaints one row, not the whole widget.
    const int top = (first + m_scrollOffset) * m_cell.height();
    const int bottom = (last + m_scrollOffset + 1) * m_cell.height();
    const int visibleBottom = m_emulator.rows() * m_cell.height();
    if (top >= visibleBottom)
        return;
    update(QRect(0, top, width() - m_scrollBar->width(), std::min(bottom, visibleBottom) - top));
}

void TerminalWidget::updateGeometryFromSize()
{
    const int sbw = m_scrollBar->sizeHint().width();
    m_scrollBar->setGeometry(width() - sbw, 0, sbw, height());
    const int findHeight = m_findBar->sizeHint().height();
    m_findBar->setGeometry(0, 0, width() - sbw, findHeight);
    const int cols = std::max(2, (width() - sbw) / m_cell.width());
    const int rows = std::max(2, height() / m_cell.height());
    if (cols != m_emulator.cols() || rows != m_emulator.rows()) {
        m_emulator.resize(rows, cols);
        if (m_session)
            m_session->resize(cols, rows);
    }
    syncScrollBar();
}

void TerminalWidget::syncScrollBar()
{
    const QSignalBlocker block(m_scrollBar);
    const int sb = m_emulator.scrollbackSize();
    m_scrollBar->setRange(0, sb);
    m_scrollBar->setPageStep(m_emulator.rows());
    m_scrollBar->setValue(sb - m_scrollOffset);
}

void TerminalWidget::scrollBy(int lines)
{
    m_scrollOffset = std::clamp(m_scrollOffset + lines, 0, m_emulator.scrollbackSize());
    syncScrollBar();
    update();
}

int TerminalWidget::totalLines() const
{
    return m_emulator.scrollbackSize() + m_emulator.rows();
}

TerminalCell TerminalWidget::cellAt(int line, int col) const
{
    const int sb = m_emulator.scrollbackSize();
    if (line < sb) {
        const auto &l = m_emulator.scrollbackLine(line);
        if (col < int(l.size()))
            return l[size_t(col)];
        return TerminalCell{U' ', m_emulator.defaultForeground(), m_emulator.defaultBackground()};
    }
    return m_emulator.cell(line - sb, col);
}

QString TerminalWidget::lineString(int line) const
{
    const int sb = m_emulator.scrollbackSize();
    return line < sb ? m_emulator.scrollbackText(line) : m_emulator.lineText(line - sb);
}

void TerminalWidget::paintEvent(QPaintEvent *event)
{
    QPainter p(this);
    const QRect dirty = event->rect();
    p.fillRect(dirty, QColor(m_emulator.defaultBackground()));
    p.setFont(m_font);
    const int rows = m_emulator.rows();
    const int cols = m_emulator.cols();
    const int first = m_emulator.scrollbackSize() - m_scrollOffset;
    const int ascent = m_ascent;
    auto selected = [&](int line, int col) {
        if (m_selStart.y() < 0)
            return false;
        QPoint a = m_selStart, b = m_selEnd;
        if (std::make_pair(a.y(), a.x()) > std::make_pair(b.y(), b.x()))
            std::swap(a, b);
        const auto here = std::make_pair(line, col);
        return here >= std::make_pair(a.y(), a.x()) && here <= std::make_pair(b.y(), b.x());
    };
    std::vector<TerminalCell> &row = m_rowCells; // each cell converted once per paint
    row.resize(size_t(cols));
    const int firstRow = std::max(0, dirty.top() / m_cell.height());
    const int lastRow = std::min(rows - 1, dirty.bottom() / m_cell.height());
    QString run;
    for (int r = firstRow; r <= lastRow; ++r) {
        const int line = first + r;
        for (int c = 0; c < cols; ++c)
            row[size_t(c)] = cellAt(line, c);
        const int y = r * m_cell.height();
        int col = 0;
        while (col < cols) {
            const TerminalCell &c = row[size_t(col)];
            // A run of cells with the same look is drawn as one string.
            run.clear();
            const int start = col;
            auto look = [&](const TerminalCell &x) {
                const bool sel = selected(line, col) || (line == m_hitLine && col >= m_hitCol &&
                                                         col < m_hitCol + m_hitLen);
                QRgb fg = x.fg, bg = x.bg;
                if (x.reverse != sel)
                    std::swap(fg, bg);
                return std::make_tuple(fg, bg, x.bold, x.italic, x.underline,
                                       x.defaultBg && !sel && !x.reverse);
            };
            const auto style = look(c);
            bool blank = true;
            while (col < cols) {
                const TerminalCell &d = row[size_t(col)];
                if (look(d) != style)
                    break;
                if (d.width != 0) {
                    if (d.ch > 0xffff)
                        run += QString::fromUcs4(&d.ch, 1);
                    else
                        run += QChar(char16_t(d.ch));
                    blank = blank && d.ch == U' ';
                }
                col += 1;
            }
            const auto [fg, bg, isBold, isItalic, isUnderline, defaultBg] = style;
            const QRect cellsRect(start * m_cell.width(), y, (col - start) * m_cell.width(),
                                  m_cell.height());
            if (!defaultBg)
                p.fillRect(cellsRect, QColor(bg));
            if (!blank) {
                if (isBold || isItalic || isUnderline) {
                    QFont f = isBold ? m_boldFont : m_font;
                    f.setItalic(isItalic);
                    f.setUnderline(isUnderline);
                    p.setFont(f);
                } else {
                    p.setFont(m_font);
                }
                p.setPen(QColor(fg));
                p.drawText(start * m_cell.width(), y + ascent, run);
            }
        }
    }
    // Cursor (only on the live screen).
    if (m_emulator.cursorVisible() && hasFocus()) {
        const int r = m_emulator.cursorRow() + m_scrollOffset;
        if (r >= 0 && r < rows) {
            p.setCompositionMode(QPainter::RasterOp_SourceXorDestination);
            p.fillRect(m_emulator.cursorCol() * m_cell.width(), r * m_cell.height(), m_cell.width(),
                       m_cell.height(), Qt::white);
        }
    }
}

void TerminalWidget::resizeEvent(QResizeEvent *)
{
    updateGeometryFromSize();
}

bool TerminalWidget::focusNextPrevChild(bool)
{
    return false; // Tab belongs to the shell
}

void TerminalWidget::keyPressEvent(QKeyEvent *e)
{
    const auto mods = e->modifiers() & (Qt::ShiftModifier | Qt::ControlModifier | Qt::AltModifier);
    if (mods == (Qt::ControlModifier | Qt::ShiftModifier)) {
        switch (e->key()) {
        case Qt::Key_C:
            copy();
            return;
        case Qt::Key_V:
            paste();
            return;
        case Qt::Key_F:
            m_findBar->show();
            m_findBar->setFocus();
            m_findBar->selectAll();
            return;
        case Qt::Key_A:
            selectAll();
            return;
        default:
            break;
        }
    }
    if (mods == Qt::ShiftModifier && e->key() == Qt::Key_PageUp) {
        scrollBy(m_emulator.rows() - 1);
        return;
    }
    if (mods == Qt::ShiftModifier && e->key() == Qt::Key_PageDown) {
        scrollBy(-(m_emulator.rows() - 1));
        return;
    }
    if (mods == Qt::ShiftModifier && e->key() == Qt::Key_Insert) {
        paste();
        return;
    }
    if (m_emulator.sendKey(e->key(), e->modifiers(), e->text())) {
        if (m_scrollOffset != 0)
            scrollBy(-m_scrollOffset);
        m_selStart = m_selEnd = QPoint(-1, -1);
        return;
    }
    QWidget::keyPressEvent(e);
}

void TerminalWidget::wheelEvent(QWheelEvent *e)
{
    scrollBy(e->angleDelta().y() / 40);
}

QPoint TerminalWidget::cellFromPos(const QPoint &pos) const
{
    const int col = std::clamp(pos.x() / m_cell.width(), 0, m_emulator.cols() - 1);
    const int row = std::clamp(pos.y() / m_cell.height(), 0, m_emulator.rows() - 1);
    return QPoint(col, m_emulator.scrollbackSize() - m_scrollOffset + row);
}

void TerminalWidget::mousePressEvent(QMouseEvent *e)
{
    setFocus();
    if (e->button() == Qt::LeftButton) {
        m_selStart = m_selEnd = cellFromPos(e->position().toPoint());
        update();
    } else if (e->button() == Qt::MiddleButton) {
        const QString sel = QApplication::clipboard()->text(QClipboard::Selection);
        if (!sel.isEmpty())
            m_emulator.paste(sel);
    }
}

void TerminalWidget::mouseMoveEvent(QMouseEvent *e)
{
    if (!(e->buttons() & Qt::LeftButton))
        return;
    m_selEnd = cellFromPos(e->position().toPoint());
    if (QApplication::clipboard()->supportsSelection())
        QApplication::clipboard()->setText(selectedText(), QClipboard::Selection);
    update();
}

void TerminalWidget::contextMenuEvent(QContextMenuEvent *e)
{
    QMenu menu(this);
    menu.addAction(tr("Copy"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C), this,
                   &TerminalWidget::copy)
        ->setEnabled(!selectedText().isEmpty());
    menu.addAction(tr("Paste"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_V), this,
                   &TerminalWidget::paste);
    menu.addAction(tr("Select all"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A), this,
                   &TerminalWidget::selectAll);
    menu.addAction(tr("Find…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F), this, [this] {
        m_findBar->show();
        m_findBar->setFocus();
    });
    menu.exec(e->globalPos());
}

QString TerminalWidget::selectedText() const
{
    if (m_selStart.y() < 0 || m_selStart == m_selEnd)
        return {};
    QPoint a = m_selStart, b = m_selEnd;
    if (std::make_pair(a.y(), a.x()) > std::make_pair(b.y(), b.x()))
        std::swap(a, b);
    QStringList lines;
    for (int line = a.y(); line <= b.y() && line < totalLines(); ++line) {
        const QString s = lineString(line);
        const int from = line == a.y() ? a.x() : 0;
        const int to = line == b.y() ? b.x() + 1 : int(s.size());
        lines << s.mid(from, std::max(0, to - from));
    }
    return lines.join(QLatin1Char('\n'));
}

void TerminalWidget::selectAll()
{
    m_selStart = QPoint(0, 0);
    m_selEnd = QPoint(m_emulator.cols() - 1, totalLines() - 1);
    update();
}

void TerminalWidget::copy()
{
    const QString text = selectedText();
    if (!text.isEmpty())
        QApplication::clipboard()->setText(text);
}

void TerminalWidget::paste()
{
    const QString text = QApplication::clipboard()->text();
    if (!text.isEmpty())
        m_emulator.paste(text);
}

bool TerminalWidget::find(const QString &text)
{
    if (text.isEmpty()) {
        m_hitLine = -1;
        update();
        return false;
    }
    const int total = totalLines();
    int line = m_hitLine >= 0 ? m_hitLine : total - 1;
    int fromCol = m_hitLine >= 0 ? m_hitCol - 1 : -1;
    for (int n = 0; n <= total; ++n) {
        const QString s = lineString(line);
        const int at = fromCol < 0 ? int(s.lastIndexOf(text, -1, Qt::CaseInsensitive))
                                   : int(s.lastIndexOf(text, fromCol, Qt::CaseInsensitive));
        if (at >= 0 && !(line == m_hitLine && at == m_hitCol)) {
            m_hitLine = line;
            m_hitCol = at;
            m_hitLen = int(text.size());
            const int sb = m_emulator.scrollbackSize();
            // Scroll so that the hit is on screen.
            const int firstVisible = sb - m_scrollOffset;
            if (line < firstVisible || line >= firstVisible + m_emulator.rows())
                m_scrollOffset = std::clamp(sb - line + m_emulator.rows() / 2, 0, sb);
            syncScrollBar();
            update();
            return true;
        }
        line = (line - 1 + total) % total;
        fromCol = -1;
    }
    return false;
}

} // namespace bc::ui
