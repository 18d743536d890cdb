#include "ui/terminal/terminalemulator.h"

#include <QElapsedTimer>

#include <vterm.h>

#include <algorithm>

namespace bc::ui {

struct TerminalEmulatorCallbacks
{
    static TerminalEmulator *self(void *user) { return static_cast<TerminalEmulator *>(user); }

    static int damage(VTermRect rect, void *user)
    {
        self(user)->damageRows(rect.start_row, rect.end_row - 1);
        return 1;
    }
    static int moveCursor(VTermPos pos, VTermPos oldPos, int visible, void *user)
    {
        auto *t = self(user);
        t->damageRows(oldPos.row, oldPos.row);
        t->damageRows(pos.row, pos.row);
        t->m_cursorRow = pos.row;
        t->m_cursorCol = pos.col;
        t->m_cursorVisible = visible;
        t->m_dirty = true;
        return 1;
    }
    static int setTermProp(VTermProp prop, VTermValue *val, void *user)
    {
        auto *t = self(user);
        switch (prop) {
        case VTERM_PROP_CURSORVISIBLE:
            t->m_cursorVisible = val->boolean;
            break;
        case VTERM_PROP_ALTSCREEN:
            t->m_altScreen = val->boolean;
            break;
        case VTERM_PROP_TITLE:
            t->m_title = QString::fromUtf8(val->string);
            emit t->titleChanged(t->m_title);
            break;
        default:
            break;
        }
        t->damageAll();
        return 1;
    }
    static int bell(void *user)
    {
        emit self(user)->bell();
        return 1;
    }
    static int pushLine(int cols, const VTermScreenCell *cells, void *user)
    {
        auto *t = self(user);
        std::vector<TerminalCell> line;
        line.reserve(size_t(cols));
        for (int i = 0; i < cols; ++i)
            line.push_back(t->convert(&cells[i]));
        while (!line.empty() && line.back().ch == U' ' && line.back().defaultBg)
            line.pop_back();
        t->m_scrollback.push_back(std::move(line));
        while (int(t->m_scrollback.size()) > t->m_scrollbackLimit)
            t->m_scrollback.pop_front();
        t->m_scrollbackDirty = true;
        return 1;
    }
    static int popLine(int cols, VTermScreenCell *cells, void *user)
    {
        auto *t = self(user);
        if (t->m_scrollback.empty())
            return 0;
        const std::vector<TerminalCell> line = std::move(t->m_scrollback.back());
        t->m_scrollback.pop_back();
        for (int i = 0; i < cols; ++i) {
            VTermScreenCell &c = cells[i];
            c = VTermScreenCell{};
            c.width = 1;
            const TerminalCell tc = i < int(line.size()) ? line[size_t(i)] : TerminalCell{};
            c.chars[0] = tc.ch == U' ' ? 0 : uint32_t(tc.ch);
            c.attrs.bold = tc.bold;
            c.attrs.italic = tc.italic;
            c.attrs.underline = tc.underline;
            vterm_color_rgb(&c.fg, qRed(tc.fg), qGreen(tc.fg), qBlue(tc.fg));
            if (tc.defaultBg) {
                vterm_color_rgb(&c.bg, qRed(t->m_defaultBg), qGreen(t->m_defaultBg),
                                qBlue(t->m_defaultBg));
                c.bg.type |= VTERM_COLOR_DEFAULT_BG;
            } else {
                vterm_color_rgb(&c.bg, qRed(tc.bg), qGreen(tc.bg), qBlue(tc.bg));
            }
        }
        t->m_scrollbackDirty = true;
        return 1;
    }
    static void output(const char *s, size_t len, void *user)
    {
        self(user)->m_output.append(s, qsizetype(len));
    }
};

namespace {

const VTermScreenCallbacks screenCallbacks = {
    TerminalEmulatorCallbacks::damage,     nullptr,
    TerminalEmulatorCallbacks::moveCursor, TerminalEmulatorCallbacks::setTermProp,
    TerminalEmulatorCallbacks::bell,       nullptr,
    TerminalEmulatorCallbacks::pushLine,   TerminalEmulatorCallbacks::popLine,
};

} // namespace

TerminalEmulator::TerminalEmulator(int rows, int cols, QObject *parent)
    : QObject(parent)
    , m_rows(std::max(rows, 2))
    , m_cols(std::max(cols, 2))
{
    m_vt = vterm_new(m_rows, m_cols);
    vterm_set_utf8(m_vt, 1);
    vterm_output_set_callback(m_vt, TerminalEmulatorCallbacks::output, this);
    m_screen = vterm_obtain_screen(m_vt);
    vterm_screen_set_callbacks(m_screen, &screenCallbacks, this);
    vterm_screen_set_damage_merge(m_screen, VTERM_DAMAGE_SCROLL);
    vterm_screen_enable_altscreen(m_screen, 1);
    VTermState *state = vterm_obtain_state(m_vt);
    VTermColor fg, bg;
    vterm_color_rgb(&fg, qRed(m_defaultFg), qGreen(m_defaultFg), qBlue(m_defaultFg));
    vterm_color_rgb(&bg, qRed(m_defaultBg), qGreen(m_defaultBg), qBlue(m_defaultBg));
    vterm_state_set_default_colors(state, &fg, &bg);
    // The 16 ANSI colours as GNOME Terminal's Tango palette: libvterm's own blue (0,0,224)
    // is unreadable on the dark background (`ls --color` directories).
    static constexpr QRgb ansi[16] = {0x2e3436, 0xcc0000, 0x4e9a06, 0xc4a000, 0x3465a4, 0x75507b,
                                      0x06989a, 0xd3d7cf, 0x555753, 0xef2929, 0x8ae234, 0xfce94f,
                                      0x729fcf, 0xad7fa8, 0x34e2e2, 0xeeeeec};
    for (int i = 0; i < 16; ++i) {
        VTermColor c;
        vterm_color_rgb(&c, qRed(ansi[i]), qGreen(ansi[i]), qBlue(ansi[i]));
        vterm_state_set_palette_color(state, i, &c);
    }
    vterm_screen_reset(m_screen, 1);
}

TerminalEmulator::~TerminalEmulator()
{
    vterm_free(m_vt);
}

void TerminalEmulator::feed(const QByteArray &data)
{
    if (m_pendingOffset > 0 && m_pendingOffset == m_pending.size()) {
        m_pending.clear();
        m_pendingOffset = 0;
    }
    m_pending += data;
}

bool TerminalEmulator::process(int budgetMs)
{
    constexpr qsizetype Slice = 64 * 1024;
    QElapsedTimer clock;
    clock.start();
    while (m_pendingOffset < m_pending.size()) {
        const qsizetype n = std::min(Slice, m_pending.size() - m_pendingOffset);
        vterm_input_write(m_vt, m_pending.constData() + m_pendingOffset, size_t(n));
        m_pendingOffset += n;
        if (clock.elapsed() >= budgetMs)
            break;
    }
    vterm_screen_flush_damage(m_screen);
    if (m_pendingOffset >= m_pending.size()) {
        m_pending.clear();
        m_pendingOffset = 0;
    } else if (m_pendingOffset > 4 * 1024 * 1024) {
        m_pending.remove(0, m_pendingOffset);
        m_pendingOffset = 0;
    }
    flushOutput(); // replies to queries (cursor position, device attributes)
    if (std::exchange(m_scrollbackDirty, false))
        emit scrollbackChanged();
    return pendingBytes() > 0;
}

void TerminalEmulator::resize(int rows, int cols)
{
    rows = std::max(rows, 2);
    cols = std::max(cols, 2);
    if (rows == m_rows && cols == m_cols)
        return;
    process(1000); // what arrived for the old size is laid out at that size
    m_rows = rows;
    m_cols = cols;
    vterm_set_size(m_vt, rows, cols);
    vterm_screen_flush_damage(m_screen);
    damageAll();
    if (std::exchange(m_scrollbackDirty, false))
        emit scrollbackChanged();
}

void TerminalEmulator::setScrollbackLimit(int lines)
{
    m_scrollbackLimit = std::max(lines, 0);
    while (int(m_scrollback.size()) > m_scrollbackLimit)
        m_scrollback.pop_front();
}

bool TerminalEmulator::takeDirty()
{
    int first = 0, last = 0;
    return takeDamage(&first, &last);
}

bool TerminalEmulator::takeDamage(int *firstRow, int *lastRow)
{
    if (!std::exchange(m_dirty, false))
        return false;
    *firstRow = std::clamp(m_damageTop, 0, m_rows - 1);
    *lastRow = std::clamp(m_damageBottom, 0, m_rows - 1);
    m_damageTop = 1 << 20;
    m_damageBottom = -1;
    if (*firstRow > *lastRow)
        std::swap(*firstRow, *lastRow);
    return true;
}

void TerminalEmulator::damageRows(int first, int last)
{
    m_dirty = true;
    m_damageTop = std::min(m_damageTop, first);
    m_damageBottom = std::max(m_damageBottom, last);
}

TerminalCell TerminalEmulator::convert(const void *vtermCell) const
{
    VTermScreenCell c = *static_cast<const VTermScreenCell *>(vtermCell);
    TerminalCell t;
    t.ch = c.chars[0] ? char32_t(c.chars[0]) : U' ';
    t.width = quint8(c.width);
    t.bold = c.attrs.bold;
    t.italic = c.attrs.italic;
    t.underline = c.attrs.underline != 0;
    t.reverse = c.attrs.reverse;
    t.defaultBg = VTERM_COLOR_IS_DEFAULT_BG(&c.bg);
    vterm_screen_convert_color_to_rgb(m_screen, &c.fg);
    vterm_screen_convert_color_to_rgb(m_screen, &c.bg);
    t.fg = qRgb(c.fg.rgb.red, c.fg.rgb.green, c.fg.rgb.blue);
    t.bg = qRgb(c.bg.rgb.red, c.bg.rgb.green, c.bg.rgb.blue);
    return t;
}

TerminalCell TerminalEmulator::cell(int row, int col) const
{
    VTermScreenCell c;
    if (row < 0 || row >= m_rows || col < 0 || col >= m_cols ||
        !vterm_screen_get_cell(m_screen, VTermPos{row, col}, &c))
        return TerminalCell{U' ', m_defaultFg, m_defaultBg};
    return convert(&c);
}

QString TerminalEmulator::lineText(int row) const
{
    QString s;
    for (int col = 0; col < m_cols; ++col) {
        const TerminalCell c = cell(row, col);
        if (c.width == 0)
            continue;
        s += QString::fromUcs4(&c.ch, 1);
    }
    while (s.endsWith(QLatin1Char(' ')))
        s.chop(1);
    return s;
}

QString TerminalEmulator::scrollbackText(int index) const
{
    QString s;
    for (const TerminalCell &c : m_scrollback[size_t(index)])
        if (c.width != 0)
            s += QString::fromUcs4(&c.ch, 1);
    while (s.endsWith(QLatin1Char(' ')))
        s.chop(1);
    return s;
}

bool TerminalEmulator::sendKey(int qtKey, Qt::KeyboardModifiers mods, const QString &text)
{
    int m = VTERM_MOD_NONE;
    if (mods & Qt::ShiftModifier)
        m |= VTERM_MOD_SHIFT;
    if (mods & Qt::AltModifier)
        m |= VTERM_MOD_ALT;
    if (mods & Qt::ControlModifier)
        m |= VTERM_MOD_CTRL;
    const auto mod = VTermModifier(m);
    VTermKey key = VTERM_KEY_NONE;
    switch (qtKey) {
    case Qt::Key_Return:
        key = VTERM_KEY_ENTER;
        break;
    case Qt::Key_Enter:
        key = VTERM_KEY_KP_ENTER;
        break;
    case Qt::Key_Tab:
    case Qt::Key_Backtab:
        key = VTERM_KEY_TAB;
        break;
    case Qt::Key_Backspace:
        key = VTERM_KEY_BACKSPACE;
        break;
    case Qt::Key_Escape:
        key = VTERM_KEY_ESCAPE;
        break;
    case Qt::Key_Up:
        key = VTERM_KEY_UP;
        break;
    case Qt::Key_Down:
        key = VTERM_KEY_DOWN;
        break;
    case Qt::Key_Left:
        key = VTERM_KEY_LEFT;
        break;
    case Qt::Key_Right:
        key = VTERM_KEY_RIGHT;
        break;
    case Qt::Key_Insert:
        key = VTERM_KEY_INS;
        break;
    case Qt::Key_Delete:
        key = VTERM_KEY_DEL;
        break;
    case Qt::Key_Home:
        key = VTERM_KEY_HOME;
        break;
    case Qt::Key_End:
        key = VTERM_KEY_END;
        break;
    case Qt::Key_PageUp:
        key = VTERM_KEY_PAGEUP;
        break;
    case Qt::Key_PageDown:
        key = VTERM_KEY_PAGEDOWN;
        break;
    default:
        if (qtKey >= Qt::Key_F1 && qtKey <= Qt::Key_F35)
            key = VTermKey(VTERM_KEY_FUNCTION(qtKey - Qt::Key_F1 + 1));
        break;
    }
    if (key != VTERM_KEY_NONE) {
        vterm_keyboard_key(m_vt, key, mod);
        flushOutput();
        return true;
    }
    // Control combinations: some platforms give no text for them (offscreen, macOS).
    if ((mods & Qt::ControlModifier) && qtKey >= Qt::Key_A && qtKey <= Qt::Key_Z) {
        vterm_keyboard_unichar(m_vt, uint32_t('a' + (qtKey - Qt::Key_A)), mod);
        flushOutput();
        return true;
    }
    if ((mods & Qt::ControlModifier) && qtKey >= Qt::Key_BracketLeft &&
        qtKey <= Qt::Key_Underscore) {
        vterm_keyboard_unichar(m_vt, uint32_t(qtKey), mod);
        flushOutput();
        return true;
    }
    if (text.isEmpty())
        return false;
    // Shift is already in the text; libvterm would add it again as a modifier.
    const auto textMod = VTermModifier(m & ~VTERM_MOD_SHIFT);
    for (char32_t u : text.toUcs4()) {
        if (u < 0x20 || u == 0x7f) {
            const char b = char(u);
            m_output.append(&b, 1);
            continue;
        }
        vterm_keyboard_unichar(m_vt, uint32_t(u), textMod);
    }
    flushOutput();
    return true;
}

void TerminalEmulator::paste(const QString &text)
{
    QString t = text;
    t.replace(QStringLiteral("\r\n"), QStringLiteral("\r"));
    t.replace(QLatin1Char('\n'), QLatin1Char('\r'));
    vterm_keyboard_start_paste(m_vt); // emits ESC[200~ only when the program enabled it
    flushOutput();
    m_output += t.toUtf8();
    vterm_keyboard_end_paste(m_vt);
    flushOutput();
}

void TerminalEmulator::flushOutput()
{
    if (!m_output.isEmpty())
        emit sendData(std::exchange(m_output, {}));
}

} // namespace bc::ui
