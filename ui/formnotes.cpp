#include "ui/formnotes.h"

#include "ui/statusicons.h"

#include <QLabel>
#include <QVBoxLayout>

namespace bc::ui {

QLabel *errorLabel(QWidget *parent)
{
    auto *l = new QLabel(parent);
    QPalette pal = l->palette();
    pal.setColor(QPalette::WindowText, toneColor(Tone::Bad));
    l->setPalette(pal);
    l->setWordWrap(true);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    l->hide();
    return l;
}

void showError(QLabel *label, const QString &message)
{
    label->setText(message);
    label->show();
}

QLabel *hintLabel(QWidget *parent)
{
    auto *l = new QLabel(parent);
    l->setWordWrap(true);
    l->setForegroundRole(QPalette::PlaceholderText);
    return l;
}

QVBoxLayout *fieldWithNotes(QLayout *field, std::initializer_list<QLabel *> notes)
{
    auto *box = new QVBoxLayout;
    box->setSpacing(2);
    box->addLayout(field);
    for (QLabel *note : notes)
        box->addWidget(note);
    return box;
}

} // namespace bc::ui
