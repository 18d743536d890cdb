#pragma once

#include <QString>

#include <initializer_list>

class QLabel;
class QLayout;
class QVBoxLayout;
class QWidget;

namespace bc::ui {

// The notes the settings pages put under their fields.

// Red, selectable, hidden until showError().
QLabel *errorLabel(QWidget *parent);
void showError(QLabel *label, const QString &message);
// Grey explanation (where a value comes from, what a field means).
QLabel *hintLabel(QWidget *parent);
// A field with its explanation and its error right under it: separate form rows would
// keep their spacing while the error is hidden.
QVBoxLayout *fieldWithNotes(QLayout *field, std::initializer_list<QLabel *> notes);

} // namespace bc::ui
