#pragma once

#include <QByteArray>
#include <QColor>
#include <QList>
#include <QObject>
#include <QString>

#include <deque>
#include <vector>

struct VTerm;
struct VTermScreen;

namespace bc::ui {

// One character cell as painted: what libvterm's screen holds, colours resolved to RGB.
struct TerminalCell
{
    char32_t ch = U' ';
    QRgb fg = 0;
    QRgb bg = 0;
    bool defaultBg = true;
    bool bold = false;
    bool italic = false;
    bool underline = false;
    bool reverse = false;
    quint8 width = 1; // 2 for the first half of a wide character, 0 for its second half
};

// A terminal over libvterm, without any widget: bytes from the box in, key presses and
// the terminal's replies out (sendData), a screen of cells and a bounded scrollback.
// Parsing is sliced: feed() only queues, and process() parses up to a byte budget, so a
// flood (`cat` of a large file) never holds the GUI thread for long; the owner repaints
// on its own timer from whatever the screen holds then.
class TerminalEmulator : public QObject
{
    Q_OBJECT
public:
    static constexpr int DefaultScrollback = 10000;

    explicit TerminalEmulator(int rows = 24, int cols = 80, QObject *parent = nullptr);
    ~TerminalEmulator() override;

    void feed(const QByteArray &data);
    // Parses queued bytes for at most budgetMs (and at least one slice); true when more remain.
    bool process(int budgetMs = 8);
    qint64 pendingBytes() const { return m_pending.size() - m_pendingOffset; }

    void resize(int rows, int cols);
    int rows() const { return m_rows; }
    int cols() const { return m_cols; }

    // Keys: a Qt key and modifiers, and the text it produced; false when not a terminal key.
    bool sendKey(int qtKey, Qt::KeyboardModifiers mods, const QString &text);
    // Pasted text, wrapped in bracketed-paste markers when the program asked for them.
    void paste(const QString &text);

    // Screen (row 0 = top of the live screen) and scrollback (index 0 = oldest line).
    TerminalCell cell(int row, int col) const;
    QString lineText(int row) const; // live screen, trailing blanks trimmed
    int scrollbackSize() const { return int(m_scrollback.size()); }
    const std::vector<TerminalCell> &scrollbackLine(int index) const
    {
        return m_scrollback[size_t(index)];
    }
    QString scrollbackText(int index) const;
    void setScrollbackLimit(int lines);

    int cursorRow() const { return m_cursorRow; }
    int cursorCol() const { return m_cursorCol; }
    bool cursorVisible() const { return m_cursorVisible; }
    bool altScreen() const { return m_altScreen; }
    QString title() const { return m_title; }

    // Damage since the last takeDirty()/takeDamage(): true when anything changed.
    bool takeDirty();
    // The same, with the live-screen rows that changed (first..last, inclusive), so that a
    // keystroke's echo repaints one row rather than the whole widget.
    bool takeDamage(int *firstRow, int *lastRow);

    QRgb defaultForeground() const { return m_defaultFg; }
    QRgb defaultBackground() const { return m_defaultBg; }

signals:
    void sendData(const QByteArray &data); // to the box's stdin
    void titleChanged(const QString &title);
    void bell();
    void scrollbackChanged();

private:
    friend struct TerminalEmulatorCallbacks;
    TerminalCell convert(const void *vtermCell) const;
    void damageRows(int first, int last);
    void damageAll() { damageRows(0, m_rows - 1); }
    void flushOutput();

    VTerm *m_vt = nullptr;
    VTermScreen *m_screen = nullptr;
    int m_rows;
    int m_cols;
    QByteArray m_pending;
    qsizetype m_pendingOffset = 0;
    QByteArray m_output;
    std::deque<std::vector<TerminalCell>> m_scrollback;
    int m_scrollbackLimit = DefaultScrollback;
    int m_cursorRow = 0;
    int m_cursorCol = 0;
    bool m_cursorVisible = true;
    bool m_altScreen = false;
    bool m_dirty = true;
    int m_damageTop = 0; // rows changed since the last takeDamage(); top > bottom: none
    int m_damageBottom = 1 << 20;
    bool m_scrollbackDirty = false;
    QString m_title;
    QRgb m_defaultFg = qRgb(0xd0, 0xd0, 0xd0);
    QRgb m_defaultBg = qRgb(0x1e, 0x1e, 0x1e);
};

} // namespace bc::ui
