#include "ui/accessiblenamer.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QComboBox>
#include <QGroupBox>
#include <QHeaderView>
#include <QLineEdit>
#include <QTabBar>
#include <QTabWidget>
#include <QToolButton>

namespace bc::ui {

AccessibleNamer::AccessibleNamer(QWidget *root)
    : QObject(root)
    , m_root(root)
{}

void AccessibleNamer::nameControls()
{
    // Screen readers read a button by its text or accessible name; Qt's own helper buttons
    // (clear buttons, the table corner, tab scrollers) have neither.
    for (QAbstractButton *b : m_root->findChildren<QAbstractButton *>()) {
        if (!b->text().isEmpty() || !b->accessibleName().isEmpty())
            continue;
        QString name = b->toolTip();
        const QString cls = QString::fromLatin1(b->metaObject()->className());
        if (name.isEmpty() && cls == QLatin1String("QTableCornerButton"))
            name = tr("Select all rows");
        else if (name.isEmpty() && qobject_cast<QLineEdit *>(b->parentWidget()))
            name = tr("Clear");
        else if (name.isEmpty() && qobject_cast<QTabBar *>(b->parentWidget()))
            name = b->objectName().contains(QLatin1String("Right")) ||
                           (qobject_cast<QToolButton *>(b) &&
                            static_cast<QToolButton *>(b)->arrowType() == Qt::RightArrow)
                       ? tr("Scroll tabs right")
                       : tr("Scroll tabs left");
        else if (name.isEmpty() && b->objectName() == QLatin1String("qt_toolbar_ext_button"))
            name = tr("More toolbar actions");
        else if (name.isEmpty() && b->objectName() == QLatin1String("qt_menubar_ext_button"))
            name = tr("More menus");
        else if (name.isEmpty() && !b->objectName().isEmpty())
            name = b->objectName();
        if (!name.isEmpty())
            b->setAccessibleName(name);
    }
    // Views and fields added by later tabs: named after their group or tab, else unnamed
    // to a screen reader.
    for (QWidget *w : m_root->findChildren<QWidget *>()) {
        const bool input = qobject_cast<QAbstractItemView *>(w) || qobject_cast<QLineEdit *>(w) ||
                           qobject_cast<QComboBox *>(w);
        if (!input || !w->accessibleName().isEmpty() || qobject_cast<QHeaderView *>(w))
            continue;
        QString name;
        if (auto *edit = qobject_cast<QLineEdit *>(w))
            name = edit->placeholderText();
        if (name.isEmpty())
            name = w->toolTip();
        for (QWidget *p = w->parentWidget(); p && name.isEmpty(); p = p->parentWidget()) {
            if (auto *g = qobject_cast<QGroupBox *>(p))
                name = g->title();
            else if (auto *tabs = qobject_cast<QTabWidget *>(
                         p->parentWidget() ? p->parentWidget()->parentWidget() : nullptr);
                     tabs && tabs->indexOf(p) >= 0)
                name = tabs->tabText(tabs->indexOf(p)).remove(QLatin1Char('&'));
        }
        if (!name.isEmpty())
            w->setAccessibleName(name);
    }
}

} // namespace bc::ui
