"""Every message an upload can produce, as constants that the code and the tests share.

The msgids are Vietnamese (the source language); English is in this app's own catalogue.
"""

from django.utils.translation import gettext_lazy as _

# Whole-file refusals: nothing is read and nothing changes.
E_NOT_SPREADSHEET = _("Tệp không phải bảng tính (.xlsx, .xls hoặc .ods) hoặc đã hỏng.")
E_ENCRYPTED = _("Tệp được đặt mật khẩu (mã hóa). Hãy bỏ mật khẩu rồi tải lên lại.")
E_EMPTY = _("Tệp không có dữ liệu người lao động.")
E_TOO_LARGE = _("Tệp lớn %(size)s MB, vượt giới hạn %(limit)s MB.")
E_ZIP_BOMB = _("Tệp nén có dung lượng giải nén bất thường; đã từ chối để bảo vệ máy chủ.")
E_FORMULA = _("Ô chứa công thức. Hãy sao chép và dán giá trị (Paste Values) thay cho công thức.")
E_NO_HEADER = _("Không tìm thấy dòng tiêu đề (cần các cột như “Mã công nhân”, “Họ và tên”) ở các dòng đầu.")
E_MISSING_COLUMN = _("Thiếu cột bắt buộc.")
E_NO_COMPANY = _("Không xác định được doanh nghiệp: thiếu trang “Doanh nghiệp” hoặc mã số thuế.")
E_BAD_TAX_CODE = _("Mã số thuế phải gồm 10 chữ số, hoặc 10-3 chữ số với chi nhánh.")
E_COMPANY_NAME = _("Thiếu tên doanh nghiệp mới.")
E_UNKNOWN_ZONE = _("Không có khu/cụm công nghiệp này trong danh mục.")
E_COMPANY_MISMATCH = _("Mã số thuế trong tệp khác doanh nghiệp đã chọn.")
E_OUT_OF_SCOPE = _("Bạn không có quyền nhập danh sách cho doanh nghiệp này.")
E_STRICT = _("Chế độ nghiêm ngặt: tệp có dòng lỗi nên không dòng nào được áp dụng.")

# Cell errors: the row is skipped (or, with --strict, the file is refused).
E_REQUIRED = _("Ô bắt buộc đang để trống.")
E_BAD_DATE = _("Không đọc được ngày (dùng dd/mm/yyyy).")
E_FUTURE_DATE = _("Ngày ở tương lai.")
E_TOO_OLD = _("Ngày sinh không hợp lý.")
E_BAD_NATIONAL_ID = _("Số CCCD phải gồm 12 chữ số (hoặc CMND 9 chữ số).")
E_BAD_PHONE = _("Số điện thoại không hợp lệ (cần 10 chữ số bắt đầu bằng 0).")
E_BAD_SEX = _("Giới tính phải là “Nam” hoặc “Nữ”.")
E_BAD_DOSES = _("Số mũi vắc xin phải từ 0 đến 4.")
E_BAD_RESULT = _("Kết quả xét nghiệm phải là “Âm tính” hoặc “Dương tính”.")
E_DUPLICATE_CODE = _("Mã công nhân bị trùng trong tệp (dòng %(other)s).")
E_DUPLICATE_ID = _("Số CCCD bị trùng với dòng %(other)s của cùng doanh nghiệp.")
E_ID_CONFLICT = _("Cùng số CCCD nhưng khác họ tên hoặc ngày sinh với dòng %(other)s.")
E_UNKNOWN_PLATE = _("Biển số xe không có trong trang “Xe đưa đón”.")
E_BAD_PLATE = _("Biển số xe không hợp lệ.")
E_TOO_LONG = _("Nội dung quá dài (tối đa %(limit)s ký tự).")
# Never names the registered details: a file of guessed IDs must learn nothing more than this.
E_ID_REGISTERED = _(
    "Số CCCD/CMND này đã được đăng ký với thông tin khác (họ tên hoặc ngày sinh). Dòng không được áp dụng; "
    "cơ quan y tế sẽ xem xét và giải quyết."
)

# Warnings: the row is applied, the doubt is shown.
W_ID_CONTRADICTS = _("Số CCCD không khớp với năm sinh hoặc giới tính của dòng này; hãy kiểm tra lại.")
W_OLD_PHONE = _("Số điện thoại 11 số cũ đã được đổi sang số 10 số mới: %(new)s.")
W_LEGACY_TEXT = _("Chữ mã cũ (%(encoding)s) đã được chuyển sang Unicode: %(new)s.")
W_UNKNOWN_PROVINCE = _("Không nhận ra tỉnh/thành phố; bỏ qua.")
