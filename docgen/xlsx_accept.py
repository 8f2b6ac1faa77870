"""What the fast workbook reader (:mod:`docgen.xlsx`) accepts without handing the file to openpyxl.

openpyxl builds an object for every element of the workbook, styles and sheet parts it knows, and refuses
(raises) a value of the wrong type; its warnings become docgen's warnings.  The fast reader only reads
values, fonts and number formats, so a part holding anything openpyxl could refuse, warn about or read
differently must go to openpyxl instead.  This module is the list of what is known to be harmless: for
each element the attributes (and their types, as openpyxl converts them) and the child elements allowed.
Anything else raises :class:`Unsupported` and the reader falls back to openpyxl for the whole workbook.
"""
from __future__ import annotations

import re

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_M = "{%s}" % MAIN_NS


class Unsupported(Exception):
    """The fast reader does not fully understand this file: read it with openpyxl."""


_RGB = re.compile(r"^([A-Fa-f0-9]{8}|[A-Fa-f0-9]{6})$")
CELL_RANGE = re.compile(r"^[A-Z]{1,3}[1-9][0-9]{0,6}(:[A-Z]{1,3}[1-9][0-9]{0,6})?$")
_MEASURE = re.compile(r"^[0-9]+(\.[0-9]+)?(mm|cm|in|pt|pc|pi)$")
_B, _S, _I, _F = "bool", "str", "int", "float"
_NONE = "\0none"                # marks a NoneSet: "none" is allowed too


def _kind_ok(kind, value: str) -> bool:
    if kind in (_B, _S):
        return True                        # openpyxl's Bool takes any text ("abc" is True)
    try:
        if kind == _I:
            int(value)
        elif kind == _F:
            float(value)
        elif kind == "rgb":
            return bool(_RGB.match(value))
        elif kind == "range":
            return bool(CELL_RANGE.match(value))
        elif kind == "ranges":
            return bool(value.split()) and all(CELL_RANGE.match(v) for v in value.split())
        elif kind == "measure":
            return bool(_MEASURE.match(value))
        elif isinstance(kind, tuple) and kind[0] == "minmax":
            return kind[1] <= float(value) <= kind[2]
        elif isinstance(kind, (tuple, frozenset)):
            return value in kind and value != _NONE or value == "none" and _NONE in kind
        else:  # pragma: no cover - a mistake in the tables below
            raise AssertionError(kind)
    except (ValueError, OverflowError):
        return False
    return True


def _none(*values: str) -> tuple:
    """openpyxl's NoneSet: one of ``values`` or "none"."""
    return (*values, _NONE)


# element local name → (attributes: name → kind, children: local name → spec key)
_COLOR = ({"rgb": "rgb", "indexed": _I, "auto": _B, "theme": _I, "tint": ("minmax", -1, 1), "type": _S}, {})
_VAL_B, _VAL_S, _VAL_I, _VAL_F = ({"val": _B}, {}), ({"val": _S}, {}), ({"val": _I}, {}), ({"val": _F}, {})
_FONT_CHILDREN = {
    "charset": _VAL_I, "family": ({"val": ("minmax", 0, 14)}, {}), "sz": _VAL_F,
    "b": _VAL_B, "i": _VAL_B, "strike": _VAL_B, "outline": _VAL_B, "shadow": _VAL_B, "condense": _VAL_B,
    "extend": _VAL_B, "color": _COLOR,
    "u": ({"val": _none("single", "double", "singleAccounting", "doubleAccounting")}, {}),
    "vertAlign": ({"val": _none("superscript", "subscript", "baseline")}, {}),
    "scheme": ({"val": _none("major", "minor")}, {}),
}
FONT = ({}, {**_FONT_CHILDREN, "name": _VAL_S, "rFont": None})          # a cell style's font (rFont ignored)
INLINE_FONT = ({}, {**_FONT_CHILDREN, "rFont": _VAL_S})                   # a rich text run's (<name> refused)
_EXT_LIST = ({}, {"ext": ({"uri": _S, "*": _S}, {"*": None})})
_FILLS = ("none", "solid", "darkDown", "darkGray", "darkGrid", "darkHorizontal", "darkTrellis", "darkUp",
          "darkVertical", "gray0625", "gray125", "lightDown", "lightGray", "lightGrid", "lightHorizontal",
          "lightTrellis", "lightUp", "lightVertical", "mediumGray")
_SIDE = ({"style": _none("dashDot", "dashDotDot", "dashed", "dotted", "double", "hair", "medium", "mediumDashDot",
                         "mediumDashDotDot", "mediumDashed", "slantDashDot", "thick", "thin")}, {"color": _COLOR})
_XF = ({"numFmtId": _I, "fontId": _I, "fillId": _I, "borderId": _I, "xfId": _I, "quotePrefix": _B,
        "pivotButton": _B, "applyNumberFormat": _B, "applyFont": _B, "applyFill": _B, "applyBorder": _B,
        "applyAlignment": _B, "applyProtection": _B},
       {"alignment": ({"horizontal": _none("general", "left", "center", "right", "fill", "justify",
                                           "centerContinuous", "distributed"),
                       "vertical": _none("top", "center", "bottom", "justify", "distributed"),
                       "textRotation": frozenset([*map(str, range(181)), "255"]), "wrapText": _B,
                       "shrinkToFit": _B, "indent": ("minmax", 0, 255), "relativeIndent": ("minmax", -255, 255),
                       "justifyLastLine": _B, "readingOrder": ("minmax", 0, float("inf"))}, {}),
        "protection": ({"locked": _B, "hidden": _B}, {}), "extLst": _EXT_LIST})

STYLESHEET = ({"*": _S}, {
    "numFmts": ({"count": _I}, {"numFmt": ({"numFmtId": _I, "formatCode": _S}, {})}),
    "fonts": ({"count": _I, "*": _S}, {"font": FONT}),
    "fills": ({"count": _I}, {"fill": ({}, {"patternFill": ({"patternType": _none(*_FILLS)},
                                                            {"fgColor": _COLOR, "bgColor": _COLOR})})}),
    "borders": ({"count": _I}, {"border": ({"diagonalUp": _B, "diagonalDown": _B, "outline": _B}, {
        "left": _SIDE, "right": _SIDE, "top": _SIDE, "bottom": _SIDE, "diagonal": _SIDE, "vertical": _SIDE,
        "horizontal": _SIDE, "start": _SIDE, "end": _SIDE})}),
    "cellStyleXfs": ({"count": _I}, {"xf": _XF}),
    "cellXfs": ({"count": _I}, {"xf": _XF}),
    "cellStyles": ({"count": _I}, {"cellStyle": ({"name": _S, "xfId": _I, "builtinId": _I, "iLevel": _I,
                                                  "hidden": _B, "customBuiltin": _B}, {})}),
    "dxfs": ({"count": _I}, {}),
    "tableStyles": ({"count": _I, "defaultTableStyle": _S, "defaultPivotStyle": _S}, {}),
    "colors": ({}, {"indexedColors": ({}, {"rgbColor": ({"rgb": "rgb"}, {})}),
                    "mruColors": ({}, {"color": _COLOR})}),
    "extLst": _EXT_LIST,
})

_WORKBOOK_VIEW = ({"visibility": _none("visible", "hidden", "veryHidden"), "minimized": _B,
                   "showHorizontalScroll": _B, "showVerticalScroll": _B, "showSheetTabs": _B, "xWindow": _I,
                   "yWindow": _I, "windowWidth": _I, "windowHeight": _I, "tabRatio": _I, "firstSheet": _I,
                   "activeTab": _I, "autoFilterDateGrouping": _B}, {"extLst": _EXT_LIST})
_DEFINED_NAME = ({"name": _S, "comment": _S, "customMenu": _S, "description": _S, "help": _S, "statusBar": _S,
                  "localSheetId": _I, "hidden": _B, "function": _B, "vbProcedure": _B, "xlm": _B,
                  "functionGroupId": _I, "shortcutKey": _S, "publishToServer": _B, "workbookParameter": _B}, {})
WORKBOOK = ({"conformance": _none("strict", "transitional")}, {
    "fileVersion": ({"appName": _S, "lastEdited": _S, "lowestEdited": _S, "rupBuild": _S, "codeName": _S}, {}),
    "workbookPr": ({"date1904": _B, "dateCompatibility": _B, "showObjects": _none("all", "placeholders"),
                    "showBorderUnselectedTables": _B, "filterPrivacy": _B, "promptedSolutions": _B,
                    "showInkAnnotation": _B, "backupFile": _B, "saveExternalLinkValues": _B,
                    "updateLinks": _none("userSet", "never", "always"), "codeName": _S, "hidePivotFieldList": _B,
                    "showPivotChartFilter": _B, "allowRefreshQuery": _B, "publishItems": _B,
                    "checkCompatibility": _B, "autoCompressPictures": _B, "refreshAllConnections": _B,
                    "defaultThemeVersion": _I}, {}),
    "workbookProtection": ({"lockStructure": _B, "lockWindows": _B, "lockRevision": _B,
                            "revisionsAlgorithmName": _S, "revisionsHashValue": _S, "revisionsSaltValue": _S,
                            "revisionsSpinCount": _I, "workbookAlgorithmName": _S, "workbookHashValue": _S,
                            "workbookSaltValue": _S, "workbookSpinCount": _I}, {}),
    "bookViews": ({}, {"workbookView": _WORKBOOK_VIEW}),
    "sheets": ({}, {"sheet": ({"name": _S, "sheetId": _I, "state": ("visible", "hidden", "veryHidden")}, {})}),
    "definedNames": ({}, {"definedName": _DEFINED_NAME}),
    "calcPr": ({"calcId": _I, "calcMode": _none("manual", "auto", "autoNoTable"), "fullCalcOnLoad": _B,
                "refMode": _none("A1", "R1C1"), "iterate": _B, "iterateCount": _I, "iterateDelta": _F,
                "fullPrecision": _B, "calcCompleted": _B, "calcOnSave": _B, "concurrentCalc": _B,
                "concurrentManualCount": _I, "forceFullCalc": _B}, {}),
    "extLst": _EXT_LIST,
    "AlternateContent": None, "revisionPtr": None,     # markup compatibility / revision id: not read by openpyxl
})

_SELECTION = ({"pane": _none("bottomRight", "topRight", "bottomLeft", "topLeft"), "activeCell": _S,
               "activeCellId": _I, "sqref": _S}, {})
_PANE = ({"xSplit": _F, "ySplit": _F, "topLeftCell": _S,
          "activePane": ("bottomRight", "topRight", "bottomLeft", "topLeft"),
          "state": ("split", "frozen", "frozenSplit")}, {})
_SHEET_VIEW = ({"windowProtection": _B, "showFormulas": _B, "showGridLines": _B, "showRowColHeaders": _B,
                "showZeros": _B, "rightToLeft": _B, "tabSelected": _B, "showRuler": _B, "showOutlineSymbols": _B,
                "defaultGridColor": _B, "showWhiteSpace": _B, "view": _none("normal", "pageBreakPreview", "pageLayout"),
                "topLeftCell": _S, "colorId": _I, "zoomScale": _I, "zoomScaleNormal": _I,
                "zoomScaleSheetLayoutView": _I, "zoomScalePageLayoutView": _I, "zoomToFit": _B,
                "workbookViewId": _I}, {"selection": _SELECTION, "pane": _PANE})
_HF_ITEM = ({}, {})
_DATA_VALIDATION = ({"sqref": "ranges", "showDropDown": _B, "showInputMessage": _B, "showErrorMessage": _B,
                     "allowBlank": _B, "errorTitle": _S, "error": _S, "promptTitle": _S, "prompt": _S,
                     "type": _none("whole", "decimal", "list", "date", "time", "textLength", "custom"),
                     "errorStyle": _none("stop", "warning", "information"),
                     "imeMode": _none("noControl", "off", "on", "disabled", "hiragana", "fullKatakana",
                                      "halfKatakana", "fullAlpha", "halfAlpha", "fullHangul", "halfHangul"),
                     "operator": _none("between", "notBetween", "equal", "notEqual", "lessThan", "lessThanOrEqual",
                                       "greaterThan", "greaterThanOrEqual")},
                    {"formula1": ({}, {}), "formula2": ({}, {})})

_TEXT = ({}, {})
SHARED_STRING = ({}, {   # <si> and <is>: openpyxl's Text (phonetic runs are read but not part of the text)
    "t": _TEXT, "r": ({}, {"rPr": INLINE_FONT, "t": _TEXT}), "rPh": ({"sb": _I, "eb": _I}, {"t": _TEXT}),
    "phoneticPr": ({"fontId": _I, "type": _none("halfwidthKatakana", "fullwidthKatakana", "Hiragana", "noConversion"),
                    "alignment": _none("noControl", "left", "center", "distributed")}, {})})
RELATIONSHIP = ({"Id": _S, "Type": _S, "Target": _S, "TargetMode": _S}, {})

# worksheet children openpyxl builds objects for, and how much of them is allowed; "sheetData", "dimension",
# "cols" and "extLst" are read by docgen.xlsx itself
SHEET_PARTS = {
    "sheetPr": ({"codeName": _S, "enableFormatConditionsCalculation": _B, "filterMode": _B, "published": _B,
                 "syncHorizontal": _B, "syncRef": _S, "syncVertical": _B, "transitionEvaluation": _B,
                 "transitionEntry": _B},
                {"tabColor": _COLOR,
                 "outlinePr": ({"applyStyles": _B, "summaryBelow": _B, "summaryRight": _B,
                                "showOutlineSymbols": _B}, {}),
                 "pageSetUpPr": ({"autoPageBreaks": _B, "fitToPage": _B}, {})}),
    "sheetViews": ({}, {"sheetView": _SHEET_VIEW}),
    "sheetFormatPr": ({"baseColWidth": _I, "defaultColWidth": _F, "defaultRowHeight": _F, "customHeight": _B,
                       "zeroHeight": _B, "thickTop": _B, "thickBottom": _B, "outlineLevelRow": _I,
                       "outlineLevelCol": _I}, {}),
    "pageMargins": ({k: _F for k in ("left", "right", "top", "bottom", "header", "footer")}, {}),
    "pageSetup": ({"orientation": _none("default", "portrait", "landscape"), "paperSize": _I, "scale": _I,
                   "fitToHeight": _I, "fitToWidth": _I, "firstPageNumber": _I, "useFirstPageNumber": _B,
                   "paperHeight": "measure", "paperWidth": "measure",
                   "pageOrder": _none("downThenOver", "overThenDown"), "usePrinterDefaults": _B,
                   "blackAndWhite": _B, "draft": _B, "cellComments": _none("asDisplayed", "atEnd"),
                   "errors": _none("displayed", "blank", "dash", "NA"), "horizontalDpi": _I, "verticalDpi": _I,
                   "copies": _I}, {}),
    "printOptions": ({"horizontalCentered": _B, "verticalCentered": _B, "headings": _B, "gridLines": _B,
                      "gridLinesSet": _B}, {}),
    "headerFooter": ({"differentOddEven": _B, "differentFirst": _B, "scaleWithDoc": _B, "alignWithMargins": _B},
                     {k: _HF_ITEM for k in ("oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader",
                                            "firstFooter")}),
    "mergeCells": ({"count": _I}, {"mergeCell": ({"ref": "range"}, {})}),
    "dataValidations": ({"disablePrompts": _B, "xWindow": _I, "yWindow": _I, "count": _I},
                        {"dataValidation": _DATA_VALIDATION}),
    "legacyDrawing": ({}, {}),
    "tableParts": ({"count": _I}, {"tablePart": ({}, {})}),
}
# worksheet elements openpyxl turns into objects wherever they are (it dispatches on the tag alone)
SHEET_HANDLED = {_M + t for t in (*SHEET_PARTS, "col", "sheetProtection", "extLst", "conditionalFormatting",
                                   "rowBreaks", "colBreaks", "customSheetViews", "autoFilter", "scenarios",
                                   "hyperlinks", "row")}


def check(el, spec, where: str) -> None:
    """Raise :class:`Unsupported` unless element ``el`` (lxml) is within ``spec`` (attributes, children)."""
    if spec is None:
        return
    attrs, children = spec
    for name, value in el.attrib.items():
        if name.startswith("{"):
            continue                             # namespaced attributes are dropped (r:id is a relation)
        kind = attrs.get(name, attrs.get("*"))
        if kind is None or not _kind_ok(kind, value):
            raise Unsupported(f"{where}: {name}={value!r}")
    if "*" in children:
        return
    for child in el:
        tag = child.tag
        if not isinstance(tag, str):
            raise Unsupported(f"{where}: comment or processing instruction")
        local = tag.rpartition("}")[2]
        if local not in children:
            raise Unsupported(f"{where}: <{local}>")
        if children[local] is None:
            continue                             # an element openpyxl does not read at all
        if not tag.startswith(_M):
            raise Unsupported(f"{where}: {tag}")
        check(child, children[local], f"{where}/{local}")
