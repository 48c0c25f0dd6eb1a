#!/usr/bin/python3
"""Writes a legacy Excel 97-2003 workbook (.xls, BIFF8) from a JSON description, with
Debian's python3-xlwt, so that the tests of the .xls reader build their fixtures at
test time instead of committing binaries.

    make_xls.py DESCRIPTION.json OUT.xls
    make_xls.py --xlsx DESCRIPTION.json OUT.xlsx   the same content as .xlsx (openpyxl),
                                                   for tests that compare the two readers
    make_xls.py --biff5 DESCRIPTION.json OUT.xls   an Excel 5.0/95 workbook (BIFF5: a "Book"
                                                   stream, 8-bit text in the code page of
                                                   "codepage", default 1252), written here
                                                   record by record (xlwt writes only BIFF8);
                                                   text, numbers, booleans, dates and
                                                   {"string_formula": "text"} cells only

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
import io
import json
import struct
import sys

import xlwt
import xlwt.CompoundDoc

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


def biff5_record(rtype, body):
    return struct.pack('<HH', rtype, len(body)) + body


def biff5_text(value, codepage):
    data = value.encode('cp%d' % codepage)
    return struct.pack('<H', len(data)) + data


def biff5_cell(row, col, cell, codepage):
    """The records of one cell. XF 0 is General, XF 1 a date (built-in format 14)."""
    if cell is None:
        return b''
    if isinstance(cell, bool):
        return biff5_record(0x0205, struct.pack('<HHHBB', row, col, 0, int(cell), 0))
    if isinstance(cell, (int, float)):
        return biff5_record(0x0203, struct.pack('<HHHd', row, col, 0, float(cell)))
    if isinstance(cell, str):
        return biff5_record(0x0204, struct.pack('<HHH', row, col, 0) + biff5_text(cell, codepage))
    if 'date' in cell:
        days = (datetime.date.fromisoformat(cell['date']) - datetime.date(1899, 12, 30)).days
        return biff5_record(0x0203, struct.pack('<HHHd', row, col, 1, float(days)))
    if 'string_formula' in cell:
        # A formula whose cached result is text: FORMULA (result bytes 0xFFFF, type 0),
        # then STRING with the text. The parsed formula is a string constant (tStr, BIFF5:
        # a byte count and the bytes).
        data = cell['string_formula'].encode('cp%d' % codepage)
        tokens = b'\x17' + bytes([len(data)]) + data
        result = b'\x00' + b'\x00' * 5 + b'\xff\xff'
        formula = struct.pack('<HHH', row, col, 0) + result + struct.pack('<HI', 0, 0)
        formula += struct.pack('<H', len(tokens)) + tokens
        return biff5_record(0x0006, formula) + biff5_record(0x0207, biff5_text(cell['string_formula'], codepage))
    raise ValueError('no BIFF5 form for %r' % (cell,))


def write_biff5(description, path):
    codepage = description.get('codepage', 1252)
    sheets = []
    for spec in description['sheets']:
        rows = spec.get('rows', [])
        width = max([len(cells or []) for cells in rows] + [0])
        body = biff5_record(0x0809, struct.pack('<HHHH', 0x0500, 0x0010, 0, 1995))
        body += biff5_record(0x0200, struct.pack('<HHHHH', 0, len(rows), 0, width, 0))
        for row, cells in enumerate(rows):
            for col, cell in enumerate(cells or []):
                body += biff5_cell(row, col, cell, codepage)
        sheets.append((spec['name'], body + biff5_record(0x000A, b'')))
    xf = lambda fmt: biff5_record(0x00E0, struct.pack('<HHHHHHHH', 0, fmt, 0x0001, 0x20, 0, 0, 0, 0))
    head = biff5_record(0x0809, struct.pack('<HHHH', 0x0500, 0x0005, 0, 1995))
    head += biff5_record(0x0042, struct.pack('<H', codepage))
    head += biff5_record(0x0022, struct.pack('<H', description.get('datemode', 0)))
    head += xf(0) + xf(14)
    bound = [biff5_record(0x0085, struct.pack('<IBB', 0, 0, 0) + bytes([len(name.encode('cp%d' % codepage))])
                          + name.encode('cp%d' % codepage)) for name, _ in sheets]
    offset = len(head) + sum(len(b) for b in bound) + 4  # the globals' EOF
    stream = head
    for (name, body), record in zip(sheets, bound):
        stream += record[:4] + struct.pack('<I', offset) + record[8:]
        offset += len(body)
    stream += biff5_record(0x000A, b'')
    for _, body in sheets:
        stream += body
    # xlwt's compound file writer names its stream "Workbook"; Excel 5.0/95 names it "Book".
    doc = io.BytesIO()
    xlwt.CompoundDoc.XlsDoc().save(doc, stream)
    data = bytearray(doc.getvalue())
    workbook = 'Workbook\x00'.encode('utf-16-le')
    at = data.index(workbook)
    book = 'Book\x00'.encode('utf-16-le')
    data[at:at + len(workbook)] = book + b'\x00' * (len(workbook) - len(book))
    data[at + 0x40:at + 0x42] = struct.pack('<H', len(book))
    with open(path, 'wb') as f:
        f.write(bytes(data))


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
    mode = args[0] if args[:1] in (['--xlsx'], ['--biff5']) else None
    if mode:
        args = args[1:]
    if len(args) != 2:
        sys.exit('usage: make_xls.py [--xlsx | --biff5] DESCRIPTION.json OUT')
    with open(args[0], encoding='utf-8') as f:
        description = json.load(f)
    if mode == '--xlsx':
        write_xlsx(description, args[1])
        return
    if mode == '--biff5':
        write_biff5(description, args[1])
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
