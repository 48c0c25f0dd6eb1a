#!/usr/bin/python3
"""Writes a legacy Excel 97-2003 workbook (.xls, BIFF8) from a JSON description, with
Debian's python3-xlwt, so that the tests of the .xls reader build their fixtures at
test time instead of committing binaries.

    make_xls.py DESCRIPTION.json OUT.xls
    make_xls.py --xlsx DESCRIPTION.json OUT.xlsx   the same content as .xlsx (openpyxl),
                                                   for tests that compare the two readers

The description:
    {"datemode": 0,                      optional: 1 for the Mac 1904 date system
     "sheets": [{"name": "survey",
                 "rows": [["type", "name", "label::English (en)"],
                          ["integer", "age", "Age?"], ...]}]}
A row is a list of cells, column A first; a row that is null is left empty. A cell is
  null                     no cell
  "text"                   a text cell (any Unicode)
  3, 2.5                   a number cell (JSON integers and floats alike)
  true / false             a boolean cell
  {"date": "2024-03-01"}   a number cell formatted as a date (yyyy-mm-dd)
  {"datetime": "2024-03-01T08:30:00"}   formatted as date and time
  {"time": "08:30:00"}     formatted as a time of day
  {"error": "#N/A"}        an error cell (#NULL!, #DIV/0!, #VALUE!, #REF!, #NAME?, #NUM!, #N/A)
  {"number": 3, "format": "0.00"}       a number with a number format
  {"formula": "1+2"}       a formula (xlwt writes no cached value: the cell reads as empty),
                           with "format" as for numbers
"""
import datetime
import json
import sys

import xlwt

DATE = xlwt.easyxf(num_format_str='yyyy-mm-dd')
DATETIME = xlwt.easyxf(num_format_str='yyyy-mm-dd hh:mm:ss')
TIME = xlwt.easyxf(num_format_str='hh:mm:ss')
# BIFF error codes (xlwt's own table misspells some of them).
ERRORS = {'#NULL!': 0x00, '#DIV/0!': 0x07, '#VALUE!': 0x0F, '#REF!': 0x17, '#NAME?': 0x1D,
          '#NUM!': 0x24, '#N/A': 0x2A}


def write_cell(sheet, row, col, cell):
    if cell is None:
        return
    if isinstance(cell, bool):
        sheet.row(row).set_cell_boolean(col, cell)
    elif isinstance(cell, (int, float, str)):
        sheet.write(row, col, cell)
    elif 'date' in cell:
        sheet.write(row, col, datetime.date.fromisoformat(cell['date']), DATE)
    elif 'datetime' in cell:
        sheet.write(row, col, datetime.datetime.fromisoformat(cell['datetime']), DATETIME)
    elif 'time' in cell:
        sheet.write(row, col, datetime.time.fromisoformat(cell['time']), TIME)
    elif 'error' in cell:
        sheet.row(row).set_cell_error(col, ERRORS[cell['error']])
    elif 'number' in cell:
        sheet.write(row, col, cell['number'], xlwt.easyxf(num_format_str=cell['format']))
    elif 'formula' in cell:
        style = xlwt.easyxf(num_format_str=cell['format']) if 'format' in cell else xlwt.Style.default_style
        sheet.write(row, col, xlwt.Formula(cell['formula']), style)
    else:
        raise ValueError('unknown cell %r' % (cell,))


def write_xlsx(description, path):
    import openpyxl
    book = openpyxl.Workbook()
    book.remove(book.active)
    book.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904 if description.get('datemode') \
        else openpyxl.utils.datetime.CALENDAR_WINDOWS_1900
    for spec in description['sheets']:
        sheet = book.create_sheet(spec['name'])
        for row, cells in enumerate(spec.get('rows', [])):
            for col, cell in enumerate(cells or []):
                if cell is None:
                    continue
                target = sheet.cell(row=row + 1, column=col + 1)
                if isinstance(cell, (bool, int, float, str)):
                    target.value = cell
                elif 'date' in cell:
                    target.value = datetime.datetime.fromisoformat(cell['date'])
                    target.number_format = 'yyyy-mm-dd'
                elif 'datetime' in cell:
                    target.value = datetime.datetime.fromisoformat(cell['datetime'])
                    target.number_format = 'yyyy-mm-dd hh:mm:ss'
                elif 'time' in cell:
                    target.value = datetime.time.fromisoformat(cell['time'])
                    target.number_format = 'hh:mm:ss'
                elif 'number' in cell:
                    target.value = cell['number']
                    target.number_format = cell['format']
                else:
                    raise ValueError('no .xlsx form for %r' % (cell,))
    book.save(path)


def main():
    args = sys.argv[1:]
    xlsx = args[:1] == ['--xlsx']
    if xlsx:
        args = args[1:]
    if len(args) != 2:
        sys.exit('usage: make_xls.py [--xlsx] DESCRIPTION.json OUT')
    with open(args[0], encoding='utf-8') as f:
        description = json.load(f)
    if xlsx:
        write_xlsx(description, args[1])
        return
    book = xlwt.Workbook(encoding='utf-8')
    book.dates_1904 = description.get('datemode', 0)
    for spec in description['sheets']:
        sheet = book.add_sheet(spec['name'])
        for row, cells in enumerate(spec.get('rows', [])):
            for col, cell in enumerate(cells or []):
                write_cell(sheet, row, col, cell)
    book.save(args[1])


if __name__ == '__main__':
    main()
