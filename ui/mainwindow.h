#pragma once

#include <QMainWindow>

namespace bc::ui {

class MainWindow final : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
};

} // namespace bc::ui
