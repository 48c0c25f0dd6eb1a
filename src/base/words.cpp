#include "base/words.h"

#include <cstddef>
#include <cstdint>

#include "base/date.h"

namespace ngosurvey::words {
namespace {

constexpr Entry kEntries[] = {
    {Word::kNotInteger, "msg_not_integer", "Enter a whole number.", "សូមបញ្ចូលចំនួនគត់។",
     "Hãy nhập một số nguyên."},
    {Word::kNotDecimal, "msg_not_decimal", "Enter a number.", "សូមបញ្ចូលលេខ។", "Hãy nhập một số."},
    {Word::kNotDate, "msg_not_date", "Enter a date as YYYY-MM-DD.",
     "សូមបញ្ចូលកាលបរិច្ឆេទជាទម្រង់ YYYY-MM-DD។", "Hãy nhập ngày theo dạng YYYY-MM-DD."},
    {Word::kNotTime, "msg_not_time", "Enter a time as HH:MM or HH:MM:SS.",
     "សូមបញ្ចូលម៉ោងជាទម្រង់ HH:MM ឬ HH:MM:SS។", "Hãy nhập giờ theo dạng HH:MM hoặc HH:MM:SS."},
    {Word::kNotDateTime, "msg_not_date_time", "Enter a date and time as YYYY-MM-DDTHH:MM.",
     "សូមបញ្ចូលកាលបរិច្ឆេទ និងម៉ោងជាទម្រង់ YYYY-MM-DDTHH:MM។",
     "Hãy nhập ngày và giờ theo dạng YYYY-MM-DDTHH:MM."},
    {Word::kNotChoice, "msg_not_choice", "\"{}\" is not one of the choices.",
     "«{}» មិនមែនជាជម្រើសមួយក្នុងចំណោមជម្រើសទេ។", "«{}» không phải là một lựa chọn."},
    {Word::kChosenTwice, "msg_chosen_twice", "\"{}\" is chosen twice.", "«{}» ត្រូវបានជ្រើសពីរដង។",
     "«{}» được chọn hai lần."},
    {Word::kOutOfRange, "msg_out_of_range", "Enter a number from {} to {}.", "សូមបញ្ចូលលេខពី {} ដល់ {}។",
     "Hãy nhập một số từ {} đến {}."},
    {Word::kConstraint, "msg_constraint", "The answer is not valid.", "ចម្លើយមិនត្រឹមត្រូវទេ។",
     "Câu trả lời không hợp lệ."},
    {Word::kRequired, "msg_required", "This question requires an answer.", "សំណួរនេះតម្រូវឲ្យមានចម្លើយ។",
     "Câu hỏi này bắt buộc phải trả lời."},
    {Word::kNoRefuse, "msg_no_refuse", "This question cannot be refused.",
     "សំណួរនេះមិនអាចបដិសេធមិនឆ្លើយបានទេ។", "Không thể từ chối trả lời câu hỏi này."},
    {Word::kNoDontKnow, "msg_no_dont_know", "\"Don't know\" is not allowed on this question.",
     "ចម្លើយ «មិនដឹង» មិនត្រូវបានអនុញ្ញាតសម្រាប់សំណួរនេះទេ។", "Không được chọn «Không biết» cho câu hỏi này."},
    {Word::kUnsupported, "msg_unsupported",
     "Questions of type {} cannot be answered in ngosurvey interviews; it is left missing.",
     "សំណួរប្រភេទ {} មិនអាចឆ្លើយក្នុងការសម្ភាសន៍ ngosurvey បានទេ ហើយត្រូវទុកជាគ្មានចម្លើយ។",
     "Câu hỏi loại {} không thể trả lời trong phỏng vấn ngosurvey; câu này được để trống."},
    {Word::kNoteNoAnswer, "msg_note_no_answer", "A note takes no answer.",
     "កំណត់សម្គាល់មិនត្រូវការចម្លើយទេ។", "Ghi chú không cần câu trả lời."},
    {Word::kNotUtf8, "msg_not_utf8", "The answer is not valid UTF-8 text; type it again.",
     "ចម្លើយមិនមែនជាអត្ថបទ UTF-8 ត្រឹមត្រូវទេ សូមវាយម្តងទៀត។",
     "Câu trả lời không phải là văn bản UTF-8 hợp lệ; hãy nhập lại."},
    {Word::kAcknowledge, "msg_acknowledge", "Enter OK to acknowledge.", "សូមបញ្ចូល OK ដើម្បីទទួលស្គាល់។",
     "Nhập OK để xác nhận."},
    {Word::kOther, "msg_other", "Other", "ផ្សេងៗ", "Khác"},
    {Word::kSpecifyOther, "msg_specify_other", "Specify other", "សូមបញ្ជាក់ផ្សេងៗ", "Ghi rõ khác"},
    {Word::kFirstScreen, "msg_first_screen", "This is the first question.", "នេះជាសំណួរដំបូង។",
     "Đây là câu hỏi đầu tiên."},
    {Word::kNotEarlier, "msg_not_earlier", "{} is not an earlier question.", "{} មិនមែនជាសំណួរមុនទេ។",
     "{} không phải là câu hỏi trước đó."},
    {Word::kNotInRepeat, "msg_not_in_repeat", "{} is not a repeat here.",
     "{} មិនមែនជាក្រុមដដែលៗនៅទីនេះទេ។", "{} không phải là nhóm lặp ở đây."},
    {Word::kNoInstance, "msg_no_instance", "There is no instance {} of {}.",
     "មិនមានលេខ {} នៃ {} ទេ។", "Không có mục số {} của {}."},
    {Word::kWordRequired, "required", "required", "ត្រូវតែឆ្លើយ", "bắt buộc"},
    {Word::kWordHint, "hint", "hint", "ជំនួយ", "gợi ý"},
    {Word::kWordPressEnter, "press_enter", "(press Enter)", "(ចុច Enter)", "(nhấn Enter)"},
    {Word::kWordCurrent, "current", "current", "ចម្លើយបច្ចុប្បន្ន", "hiện tại"},
    {Word::kWordEndOfForm, "end_of_form",
     "End of the form. Complete the interview? [y = complete, or a command]",
     "ចប់កម្រងសំណួរ។ បញ្ចប់ការសម្ភាសន៍? [y = បញ្ចប់ ឬវាយបញ្ជាមួយ]",
     "Hết bảng hỏi. Hoàn thành cuộc phỏng vấn? [y = hoàn thành, hoặc gõ một lệnh]"},
    {Word::kWordAddRepeat, "add_repeat", "Add {} {}? [y/n]", "បន្ថែម {} ទី {}? [y/n]",
     "Thêm {} thứ {}? [y/n]"},
    {Word::kWordNothingHere, "nothing_here", "(nothing to answer here; press Enter)",
     "(គ្មានអ្វីត្រូវឆ្លើយនៅទីនេះទេ; ចុច Enter)", "(không có gì để trả lời ở đây; nhấn Enter)"},
    {Word::kWordQuestionsOnScreen, "questions_on_screen",
     "({} questions on this screen, answered in turn)", "(សំណួរ {} នៅលើអេក្រង់នេះ ឆ្លើយម្តងមួយៗ)",
     "({} câu hỏi trên màn hình này, trả lời lần lượt)"},
    {Word::kWordTypeYToComplete, "type_y_to_complete",
     "type y to complete, or :back, :review, :quit", "វាយ y ដើម្បីបញ្ចប់ ឬ :back, :review, :quit",
     "gõ y để hoàn thành, hoặc :back, :review, :quit"},
    {Word::kWordTypeYOrN, "type_y_or_n", "type y or n", "វាយ y ឬ n", "gõ y hoặc n"},
    {Word::kWordSaved, "saved", "Saved: {} = {}", "បានរក្សាទុក៖ {} = {}", "Đã lưu: {} = {}"},
    {Word::kWordRemoved, "removed", "Removed: {}", "បានលុប៖ {}", "Đã xóa: {}"},
    {Word::kWordRefused, "refused", "refused", "បដិសេធមិនឆ្លើយ", "từ chối trả lời"},
    {Word::kWordDontKnow, "dont_know", "don't know", "មិនដឹង", "không biết"},
    {Word::kWordNotAsked, "not_asked", "not asked", "មិនបានសួរ", "không hỏi"},
    {Word::kWordNoAnswer, "no_answer", "no answer", "គ្មានចម្លើយ", "chưa trả lời"},
    {Word::kWordReviewTitle, "review_title", "Answers so far:", "ចម្លើយរហូតមកដល់ពេលនេះ៖",
     "Các câu trả lời đến nay:"},
    {Word::kWordLanguage, "language", "Language: {}", "ភាសា៖ {}", "Ngôn ngữ: {}"},
    {Word::kWordDraftSaved, "draft_saved", "The draft is saved.", "សេចក្តីព្រាងត្រូវបានរក្សាទុក។",
     "Bản nháp đã được lưu."},
    {Word::kWordStopped, "stopped", "Stopped; the draft is saved. Resume with: {}",
     "បានឈប់; សេចក្តីព្រាងត្រូវបានរក្សាទុក។ បន្តដោយ៖ {}",
     "Đã dừng; bản nháp đã được lưu. Tiếp tục bằng: {}"},
    {Word::kWordInputEnded, "input_ended", "Input ended; the draft is saved. Resume with: {}",
     "ការបញ្ចូលបានបញ្ចប់; សេចក្តីព្រាងត្រូវបានរក្សាទុក។ បន្តដោយ៖ {}",
     "Đầu vào đã hết; bản nháp đã được lưu. Tiếp tục bằng: {}"},
    {Word::kWordCompleted, "completed", "The interview is complete and saved: {}",
     "ការសម្ភាសន៍បានបញ្ចប់ និងរក្សាទុក៖ {}", "Cuộc phỏng vấn đã hoàn thành và được lưu: {}"},
    {Word::kWordInterview, "interview", "Interview {}", "ការសម្ភាសន៍ {}", "Cuộc phỏng vấn {}"},
    {Word::kWordUnknownCommand, "unknown_command", "Unknown command {} (:help lists them)",
     "មិនស្គាល់បញ្ជា {} (:help បង្ហាញបញ្ជីបញ្ជា)", "Lệnh không hợp lệ {} (:help liệt kê các lệnh)"},
    {Word::kWordSeveralChoices, "several_choices", "(several choices: separate them with spaces)",
     "(ជម្រើសច្រើន៖ បំបែកដោយដកឃ្លា)", "(nhiều lựa chọn: cách nhau bằng dấu cách)"},
    {Word::kWordHelp, "help",
     "Type the answer and press Enter (a choice by its number or name; several choices\n"
     "separated by spaces; an empty line keeps the answer shown, or skips an optional\n"
     "question). Commands:\n"
     "  :back          previous question\n"
     "  :jump NAME     back to an earlier question\n"
     "  :refuse        the respondent refuses to answer\n"
     "  :dk            the respondent does not know\n"
     "  :clear         remove the answer of this question\n"
     "  :remove NAME N remove instance N of repeat NAME\n"
     "  :lang CODE     show the form in another language (answers are kept)\n"
     "  :review        every question with its answer\n"
     "  :save          save now (every accepted answer is saved already)\n"
     "  :quit          stop; resume later with --resume ID\n"
     "  :help          this text",
     "វាយចម្លើយ ហើយចុច Enter (ជម្រើសតាមលេខ ឬឈ្មោះរបស់វា; ជម្រើសច្រើនបំបែកដោយដកឃ្លា;\n"
     "បន្ទាត់ទទេរក្សាចម្លើយដែលបង្ហាញ ឬរំលងសំណួរដែលមិនតម្រូវ)។ បញ្ជា៖\n"
     "  :back          សំណួរមុន\n"
     "  :jump NAME     ត្រឡប់ទៅសំណួរមុនមួយ\n"
     "  :refuse        អ្នកឆ្លើយបដិសេធមិនឆ្លើយ\n"
     "  :dk            អ្នកឆ្លើយមិនដឹង\n"
     "  :clear         លុបចម្លើយនៃសំណួរនេះ\n"
     "  :remove NAME N លុបលេខ N នៃក្រុមដដែលៗ NAME\n"
     "  :lang CODE     បង្ហាញកម្រងសំណួរជាភាសាផ្សេង (ចម្លើយនៅដដែល)\n"
     "  :review        សំណួរទាំងអស់ជាមួយចម្លើយរបស់វា\n"
     "  :save          រក្សាទុកឥឡូវ (ចម្លើយដែលបានទទួលយកទាំងអស់ត្រូវបានរក្សាទុករួចហើយ)\n"
     "  :quit          ឈប់; បន្តពេលក្រោយដោយ --resume ID\n"
     "  :help          អត្ថបទនេះ",
     "Gõ câu trả lời rồi nhấn Enter (một lựa chọn theo số hoặc tên; nhiều lựa chọn cách\n"
     "nhau bằng dấu cách; một dòng trống giữ câu trả lời đang hiện, hoặc bỏ qua câu hỏi\n"
     "không bắt buộc). Lệnh:\n"
     "  :back          câu hỏi trước\n"
     "  :jump NAME     quay lại một câu hỏi trước đó\n"
     "  :refuse        người trả lời từ chối trả lời\n"
     "  :dk            người trả lời không biết\n"
     "  :clear         xóa câu trả lời của câu hỏi này\n"
     "  :remove NAME N xóa mục số N của nhóm lặp NAME\n"
     "  :lang CODE     hiện bảng hỏi bằng ngôn ngữ khác (giữ nguyên câu trả lời)\n"
     "  :review        mọi câu hỏi cùng câu trả lời\n"
     "  :save          lưu ngay (mọi câu trả lời được chấp nhận đã được lưu)\n"
     "  :quit          dừng; tiếp tục sau bằng --resume ID\n"
     "  :help          nội dung này"},
    {Word::kButtonNext, "button_next", "Next", "បន្ទាប់", "Tiếp theo"},
    {Word::kButtonBack, "button_back", "Back", "ថយក្រោយ", "Quay lại"},
    {Word::kButtonSave, "button_save", "Save", "រក្សាទុក", "Lưu"},
    {Word::kButtonSend, "button_send", "Send", "ផ្ញើ", "Gửi"},
    {Word::kButtonAdd, "button_add", "Add", "បន្ថែម", "Thêm"},
    {Word::kButtonRemove, "button_remove", "Remove", "លុបចេញ", "Xóa"},
    {Word::kButtonRefuse, "button_refuse", "Refuse", "បដិសេធ", "Từ chối"},
    {Word::kButtonDontKnow, "button_dont_know", "Don't know", "មិនដឹង", "Không biết"},
    {Word::kButtonLogIn, "button_log_in", "Log in", "ចូល", "Đăng nhập"},
    {Word::kButtonLogOut, "button_log_out", "Log out", "ចាកចេញ", "Đăng xuất"},
    {Word::kButtonComplete, "button_complete", "Complete", "បញ្ចប់", "Hoàn thành"},
    {Word::kButtonReview, "button_review", "Review", "ពិនិត្យឡើងវិញ", "Xem lại"},
    {Word::kButtonResume, "button_resume", "Resume", "បន្ត", "Tiếp tục"},
    {Word::kLabelUser, "label_user", "User", "អ្នកប្រើ", "Người dùng"},
    {Word::kLabelPassword, "label_password", "Password", "ពាក្យសម្ងាត់", "Mật khẩu"},
    {Word::kLabelLanguage, "label_language", "Language", "ភាសា", "Ngôn ngữ"},
    {Word::kLabelComment, "label_comment", "Comment", "មតិយោបល់", "Nhận xét"},
    {Word::kLabelReviewStatus, "label_review_status", "Review status", "ស្ថានភាពត្រួតពិនិត្យ",
     "Trạng thái kiểm tra"},
    {Word::kReviewApproved, "review_approved", "Approved", "បានអនុម័ត", "Đã duyệt"},
    {Word::kReviewNeedsChecking, "review_needs_checking", "Needs checking", "ត្រូវពិនិត្យ",
     "Cần kiểm tra"},
    {Word::kReviewRejected, "review_rejected", "Rejected", "បានច្រានចោល", "Bị từ chối"},
    {Word::kReviewNone, "review_none", "Not reviewed", "មិនទាន់ត្រួតពិនិត្យ", "Chưa kiểm tra"},
    {Word::kHeadingForms, "heading_forms", "Forms", "កម្រងសំណួរ", "Bảng hỏi"},
    {Word::kHeadingDrafts, "heading_drafts", "Drafts", "សេចក្តីព្រាង", "Bản nháp"},
    {Word::kHeadingSubmissions, "heading_submissions", "Submissions", "ការសម្ភាសន៍ដែលបានផ្ញើ",
     "Bài đã nộp"},
    {Word::kHeadingProgress, "heading_progress", "Progress", "វឌ្ឍនភាព", "Tiến độ"},
    {Word::kLinkOpen, "link_open", "Open", "បើក", "Mở"},
    {Word::kStatusWaiting, "status_waiting", "Waiting to be sent: {}", "កំពុងរង់ចាំផ្ញើ៖ {}",
     "Đang chờ gửi: {}"},
    {Word::kStatusOffline, "status_offline",
     "No connection: answers are kept on this device and sent later.",
     "គ្មានការតភ្ជាប់៖ ចម្លើយត្រូវបានរក្សាទុកនៅលើឧបករណ៍នេះ ហើយនឹងផ្ញើនៅពេលក្រោយ។",
     "Không có kết nối: câu trả lời được lưu trên thiết bị này và sẽ được gửi sau."},
    {Word::kStatusSavedOnDevice, "status_saved_on_device", "Saved on this device.",
     "បានរក្សាទុកនៅលើឧបករណ៍នេះ។", "Đã lưu trên thiết bị này."},
    {Word::kStatusSent, "status_sent", "Sent: {}", "បានផ្ញើ៖ {}", "Đã gửi: {}"},
    {Word::kPositionOf, "position_of", "{} of {}", "{} នៃ {}", "{} trên {}"},
    {Word::kRepeatQuestion, "repeat_question", "Add {} {}?", "បន្ថែម {} ទី {}?", "Thêm {} thứ {}?"},
    {Word::kRepeatInstances, "repeat_instances", "{} added: {}", "{} បានបន្ថែម៖ {}",
     "{} đã thêm: {}"},
    {Word::kEndTitle, "end_title", "End of the form", "ចប់កម្រងសំណួរ", "Hết bảng hỏi"},
    {Word::kEndQuestion, "end_question",
     "Complete the interview? Review the answers first if you wish.",
     "បញ្ចប់ការសម្ភាសន៍? អ្នកអាចពិនិត្យចម្លើយឡើងវិញជាមុនសិន។",
     "Hoàn thành cuộc phỏng vấn? Có thể xem lại các câu trả lời trước."},
    {Word::kNoForms, "no_forms", "No forms yet.", "មិនទាន់មានកម្រងសំណួរទេ។", "Chưa có bảng hỏi nào."},
    {Word::kLoginFailed, "login_failed", "The user name or password is wrong.",
     "ឈ្មោះអ្នកប្រើ ឬពាក្យសម្ងាត់មិនត្រឹមត្រូវ។", "Tên người dùng hoặc mật khẩu không đúng."},
    {Word::kSessionExpired, "session_expired", "Please log in again.", "សូមចូលម្តងទៀត។",
     "Vui lòng đăng nhập lại."},
    {Word::kColumnInterviewer, "column_interviewer", "Interviewer", "អ្នកសម្ភាសន៍", "Phỏng vấn viên"},
    {Word::kColumnCountry, "column_country", "Country", "ប្រទេស", "Quốc gia"},
    {Word::kColumnDay, "column_day", "Day", "ថ្ងៃ", "Ngày"},
    {Word::kColumnForm, "column_form", "Form", "កម្រងសំណួរ", "Bảng hỏi"},
    {Word::kColumnStatus, "column_status", "Status", "ស្ថានភាព", "Trạng thái"},
    {Word::kColumnInterviews, "column_interviews", "Interviews", "ការសម្ភាសន៍", "Cuộc phỏng vấn"},
    {Word::kColumnOrganisation, "column_organisation", "Organisation", "អង្គការ", "Tổ chức"},
    {Word::kColumnOpenCases, "column_open_cases", "Open cases", "ករណីមិនទាន់បញ្ចប់",
     "Trường hợp chưa xong"},
    {Word::kColumnAction, "column_action", "Action", "សកម្មភាព", "Việc cần làm"},
    {Word::kColumnMode, "column_mode", "Mode", "មធ្យោបាយ", "Hình thức"},
    {Word::kColumnDue, "column_due", "Due", "កាលកំណត់", "Hạn"},
    {Word::kColumnDaysLate, "column_days_late", "Days late", "ចំនួនថ្ងៃយឺត", "Số ngày trễ"},
    {Word::kHeadingFollowUps, "heading_follow_ups", "Follow-ups", "ការតាមដាន", "Liên hệ lại"},
    {Word::kHeadingDownloads, "heading_downloads", "Downloads", "ទាញយក", "Tải xuống"},
    {Word::kButtonFilter, "button_filter", "Filter", "ត្រង", "Lọc"},
    {Word::kSubmissionComplete, "submission_complete", "Complete", "បានបញ្ចប់", "Đã hoàn thành"},
    {Word::kSubmissionDraft, "submission_draft", "Draft", "សេចក្តីព្រាង", "Bản nháp"},
    {Word::kDueUpcoming, "due_upcoming", "Upcoming", "នឹងមកដល់", "Sắp tới"},
    {Word::kDueDue, "due_due", "Due", "ដល់កាលកំណត់", "Đến hạn"},
    {Word::kDueOverdue, "due_overdue", "Overdue", "ហួសកាលកំណត់", "Quá hạn"},
    {Word::kProgressForSupervisors, "progress_for_supervisors",
     "Progress, rates and follow-ups are for supervisors.",
     "វឌ្ឍនភាព អត្រា និងការតាមដាន គឺសម្រាប់អ្នកត្រួតពិនិត្យ។",
     "Tiến độ, tỷ lệ và liên hệ lại dành cho giám sát viên."},
    {Word::kProgressNoFrame, "progress_no_frame", "No sample frame in the store yet.",
     "មិនទាន់មានបញ្ជីគំរូនៅក្នុងឃ្លាំងទិន្នន័យទេ។", "Chưa có khung mẫu trong kho dữ liệu."},
    {Word::kGroupOverall, "group_overall", "Overall", "សរុប", "Tổng cộng"},
    {Word::kDatePattern, "date_pattern", "{} {} {}", "ថ្ងៃទី{} ខែ{} ឆ្នាំ{}", "ngày {} {} năm {}"},
    {Word::kMonth1, "month_1", "January", "មករា", "tháng 1"},
    {Word::kMonth2, "month_2", "February", "កុម្ភៈ", "tháng 2"},
    {Word::kMonth3, "month_3", "March", "មីនា", "tháng 3"},
    {Word::kMonth4, "month_4", "April", "មេសា", "tháng 4"},
    {Word::kMonth5, "month_5", "May", "ឧសភា", "tháng 5"},
    {Word::kMonth6, "month_6", "June", "មិថុនា", "tháng 6"},
    {Word::kMonth7, "month_7", "July", "កក្កដា", "tháng 7"},
    {Word::kMonth8, "month_8", "August", "សីហា", "tháng 8"},
    {Word::kMonth9, "month_9", "September", "កញ្ញា", "tháng 9"},
    {Word::kMonth10, "month_10", "October", "តុលា", "tháng 10"},
    {Word::kMonth11, "month_11", "November", "វិច្ឆិកា", "tháng 11"},
    {Word::kMonth12, "month_12", "December", "ធ្នូ", "tháng 12"},
    {Word::kTableItem, "table_item", "Item", "ធាតុ", "Mục"},
    {Word::kTableTables, "table_tables", "Tables", "តារាង", "Các bảng"},
    {Word::kTableFisherP, "table_fisher_p", "Fisher p", "p (Fisher)", "p (Fisher)"},
    {Word::kTableRaoScottP, "table_rao_scott_p", "Rao-Scott p", "p (Rao-Scott)", "p (Rao-Scott)"},
    {Word::kTableHolm, "table_holm", "(Holm)", "(កែតម្រូវ Holm)", "(hiệu chỉnh Holm)"},
    {Word::kTableHolmP, "table_holm_p", "(Holm {})", "(កែតម្រូវ Holm {})", "(hiệu chỉnh Holm {})"},
    {Word::kTableBaseRule, "table_base_rule", "(base: {})", "(មូលដ្ឋាន៖ {})", "(mẫu số: {})"},
    {Word::kRuleAnswered, "rule_answered", "answered", "អ្នកបានឆ្លើយ", "người đã trả lời"},
    {Word::kRuleAll, "rule_all", "all", "ទាំងអស់", "tất cả"},
    {Word::kRuleEligible, "rule_eligible", "eligible", "អ្នកមានលក្ខខណ្ឌ", "người đủ điều kiện"},
    {Word::kTableAllOptions, "table_all_options", "all options", "គ្រប់ជម្រើស", "mọi phương án"},
    {Word::kTableAllOptionsTest, "table_all_options_test", "exact test of all options",
     "តេស្តពិតប្រាកដនៃគ្រប់ជម្រើស", "kiểm định chính xác trên mọi phương án"},
    {Word::kTableNonresponse, "table_nonresponse", "Nonresponse", "ការមិនឆ្លើយ", "Không trả lời"},
    {Word::kTableAnsweredOf, "table_answered_of", "{} of {} answered", "{} ក្នុងចំណោម {} បានឆ្លើយ",
     "{} trên {} đã trả lời"},
    {Word::kTableMissing, "table_missing", "missing", "បាត់", "thiếu"},
    {Word::kTableVersus, "table_versus", "{} vs {}", "{} ធៀបនឹង {}", "{} so với {}"},
    {Word::kStatMean, "stat_mean", "mean", "មធ្យមភាគ", "trung bình"},
    {Word::kStatSd, "stat_sd", "sd", "គម្លាតស្តង់ដារ", "độ lệch chuẩn"},
    {Word::kStatSe, "stat_se", "se", "កំហុសស្តង់ដារ", "sai số chuẩn"},
    {Word::kStatMedian, "stat_median", "median", "មេដ្យាន", "trung vị"},
    {Word::kStatMin, "stat_min", "min", "អប្បបរមា", "nhỏ nhất"},
    {Word::kStatMax, "stat_max", "max", "អតិបរមា", "lớn nhất"},
    {Word::kStatN, "stat_n", "n", "ចំនួន", "cỡ mẫu"},
    {Word::kCellSuppressed, "cell_suppressed", "suppressed", "បានលាក់", "đã ẩn"},
    {Word::kCellNoBase, "cell_no_base", "no respondents in the base", "គ្មានអ្នកឆ្លើយក្នុងមូលដ្ឋាន",
     "không có người trả lời trong mẫu số"},
    {Word::kCellCountOf, "cell_count_of", "{}% ({} of {})", "{}% ({} ក្នុងចំណោម {})",
     "{}% ({} trên {})"},
    {Word::kCellInterval, "cell_interval", "{}% interval {}%", "ចន្លោះ {}% {}%", "khoảng {}% {}%"},
    {Word::kCellSmallCount, "cell_small_count", "small count", "ចំនួនតូច", "số đếm nhỏ"},
    {Word::kCellSmallBase, "cell_small_base", "small base", "មូលដ្ឋានតូច", "mẫu số nhỏ"},
    {Word::kCellDesignInterval, "cell_design_interval", "{}% design-based interval",
     "ចន្លោះ {}% តាមប្លង់គំរូ", "khoảng {}% theo thiết kế mẫu"},
    {Word::kCellWilsonInterval, "cell_wilson_interval", "{}% Wilson interval", "ចន្លោះ Wilson {}%",
     "khoảng Wilson {}%"},
    {Word::kCellOfMentions, "cell_of_mentions", "{}% of mentions", "{}% នៃការលើកឡើង",
     "{}% số lần được nhắc đến"},
    {Word::kTestHidden, "test_hidden", "hidden: a cell of this item is suppressed",
     "បានលាក់៖ ក្រឡាមួយនៃធាតុនេះត្រូវបានលាក់", "đã ẩn: một ô của mục này bị ẩn"},
    {Word::kTestNone, "test_none", "no test", "គ្មានតេស្ត", "không có kiểm định"},
    {Word::kChartTitle, "chart_title", "{}: percentage by column with {}% Wilson intervals",
     "{}៖ ភាគរយតាមជួរឈរ ជាមួយចន្លោះ Wilson {}%", "{}: tỷ lệ phần trăm theo cột với khoảng Wilson {}%"},
    {Word::kFootCellsDesign, "foot_cells_design",
     "Weighted estimates ({}), with Taylor-linearised standard errors as R's survey package "
     "computes them. Each cell: the weighted percentage, the unweighted count and base "
     "(count/base), and below it the {}% design-based interval ({} method, with the design's "
     "degrees of freedom). A stratum with one PSU is handled by the '{}' rule.",
     "ការប៉ាន់ស្មានមានទម្ងន់ ({}) ជាមួយកំហុសស្តង់ដារលីនេអ៊ែរ Taylor ដូចដែលកញ្ចប់ survey របស់ R គណនា។ ក្រឡានីមួយៗ៖ "
     "ភាគរយមានទម្ងន់ ចំនួន និងមូលដ្ឋានគ្មានទម្ងន់ (ចំនួន/មូលដ្ឋាន) ហើយខាងក្រោមជាចន្លោះ {}% តាមប្លង់គំរូ (វិធី {} "
     "ជាមួយដឺក្រេសេរីនៃប្លង់គំរូ)។ ស្រទាប់ដែលមាន PSU តែមួយ ត្រូវបានដោះស្រាយតាមវិធាន '{}'។",
     "Ước lượng có trọng số ({}), với sai số chuẩn tuyến tính hóa Taylor như gói survey của R "
     "tính. Mỗi ô: tỷ lệ phần trăm có trọng số, số đếm và mẫu số không trọng số (số đếm/mẫu số), "
     "và bên dưới là khoảng {}% theo thiết kế mẫu (phương pháp {}, với bậc tự do của thiết kế "
     "mẫu). Một tầng chỉ có một PSU được xử lý theo quy tắc '{}'."},
    {Word::kFootCells, "foot_cells",
     "Each cell: the percentage, its count and base (count/base), and below it the {}% Wilson "
     "score interval of the percentage. With bases of a dozen {} these intervals are wide: a "
     "difference of a few {} is within chance.",
     "ក្រឡានីមួយៗ៖ ភាគរយ ចំនួន និងមូលដ្ឋានរបស់វា (ចំនួន/មូលដ្ឋាន) ហើយខាងក្រោមជាចន្លោះពិន្ទុ Wilson {}% នៃភាគរយ។ "
     "ជាមួយមូលដ្ឋានប្រហែលដប់ពីរ {} ចន្លោះទាំងនេះធំ៖ ភាពខុសគ្នានៃ {} ពីរបី គឺស្ថិតក្នុងភាពចៃដន្យ។",
     "Mỗi ô: tỷ lệ phần trăm, số đếm và mẫu số của nó (số đếm/mẫu số), và bên dưới là khoảng điểm "
     "Wilson {}% của tỷ lệ phần trăm. Với mẫu số khoảng một chục {}, các khoảng này rộng: chênh "
     "lệch vài {} nằm trong phạm vi ngẫu nhiên."},
    {Word::kFootSmallCount, "foot_small_count",
     "Count of 1 to {}: few enough to identify {}; read it as a case, not a share.",
     "ចំនួនពី 1 ដល់ {}៖ តិចល្មមអាចកំណត់អត្តសញ្ញាណ {} មួយបាន; សូមអានវាជាករណីមួយ មិនមែនជាចំណែកទេ។",
     "Số đếm từ 1 đến {}: đủ ít để nhận ra một {}; hãy đọc như một trường hợp, không phải một tỷ "
     "lệ."},
    {Word::kFootSmallBase, "foot_small_base",
     "Base below {} respondents: the percentage rests on too few answers to compare.",
     "មូលដ្ឋានតិចជាង {} អ្នកឆ្លើយ៖ ភាគរយផ្អែកលើចម្លើយតិចពេកដើម្បីប្រៀបធៀប។",
     "Mẫu số dưới {} người trả lời: tỷ lệ phần trăm dựa trên quá ít câu trả lời để so sánh."},
    {Word::kFootSuppressed, "foot_suppressed",
     "Suppressed: the cell is hidden to protect respondents, together with the complementary cells "
     "that would let a reader work it out, and the tests of its row and item (a p-value with known "
     "margins can reveal a count).",
     "បានលាក់៖ ក្រឡាត្រូវបានលាក់ដើម្បីការពារអ្នកឆ្លើយ រួមជាមួយក្រឡាបំពេញដែលអាចឲ្យអ្នកអានគណនាវាបាន និងតេស្តនៃជួរដេក "
     "និងធាតុរបស់វា (តម្លៃ p ដែលមានរឹមដឹងរួច អាចបង្ហាញចំនួនបាន)។",
     "Đã ẩn: ô bị ẩn để bảo vệ người trả lời, cùng với các ô bổ sung có thể giúp người đọc suy ra "
     "nó, và các kiểm định của hàng và mục của nó (một giá trị p với các biên đã biết có thể để lộ "
     "một số đếm)."},
    {Word::kFootTestsDesign, "foot_tests_design",
     "p: the Rao-Scott second-order corrected F test (R's svychisq) of each option between group "
     "columns, with the Holm adjustment across the options of the item in brackets; on the item's "
     "own row, the test of all its options over the group columns. A dash means no test was "
     "possible.",
     "p៖ តេស្ត F កែតម្រូវលំដាប់ទីពីរ Rao-Scott (svychisq របស់ R) នៃជម្រើសនីមួយៗរវាងជួរឈរក្រុម ជាមួយការកែតម្រូវ Holm "
     "លើជម្រើសនៃធាតុក្នុងវង់ក្រចក; នៅលើជួរដេករបស់ធាតុ គឺតេស្តនៃគ្រប់ជម្រើសរបស់វាលើជួរឈរក្រុម។ សញ្ញាដាច់ "
     "មានន័យថាមិនអាចធ្វើតេស្តបាន។",
     "p: kiểm định F hiệu chỉnh bậc hai Rao-Scott (svychisq của R) cho mỗi phương án giữa các cột "
     "nhóm, với hiệu chỉnh Holm trên các phương án của mục trong ngoặc; trên hàng của chính mục, "
     "kiểm định mọi phương án của nó trên các cột nhóm. Dấu gạch ngang nghĩa là không thể kiểm "
     "định."},
    {Word::kFootTestsTwo, "foot_tests_two",
     "p: two-sided Fisher exact test of each option between the two group columns, with the Holm "
     "adjustment across the options of the item in brackets; on the item's own row, the r x c test "
     "of all its options (exact unless a note below says otherwise). A dash means no test was "
     "possible (for example when only one group answered).",
     "p៖ តេស្តពិតប្រាកដ Fisher ពីរខាង នៃជម្រើសនីមួយៗរវាងជួរឈរក្រុមទាំងពីរ ជាមួយការកែតម្រូវ Holm "
     "លើជម្រើសនៃធាតុក្នុងវង់ក្រចក; នៅលើជួរដេករបស់ធាតុ គឺតេស្ត r x c នៃគ្រប់ជម្រើសរបស់វា (ពិតប្រាកដ "
     "លើកលែងតែកំណត់សម្គាល់ខាងក្រោមនិយាយផ្សេង)។ សញ្ញាដាច់ មានន័យថាមិនអាចធ្វើតេស្តបាន (ឧទាហរណ៍ "
     "នៅពេលមានក្រុមតែមួយបានឆ្លើយ)។",
     "p: kiểm định chính xác Fisher hai phía cho mỗi phương án giữa hai cột nhóm, với hiệu chỉnh "
     "Holm trên các phương án của mục trong ngoặc; trên hàng của chính mục, kiểm định r x c của "
     "mọi phương án (chính xác trừ khi một ghi chú bên dưới nói khác). Dấu gạch ngang nghĩa là "
     "không thể kiểm định (ví dụ khi chỉ một nhóm trả lời)."},
    {Word::kFootTestsPairs, "foot_tests_pairs",
     "p: two-sided Fisher exact tests between pairs of group columns, with the Holm adjustment "
     "across the options of the item in brackets; on the item's own row, the r x c test of all its "
     "options over the group columns (exact unless a note below says otherwise).",
     "p៖ តេស្តពិតប្រាកដ Fisher ពីរខាង រវាងគូជួរឈរក្រុម ជាមួយការកែតម្រូវ Holm លើជម្រើសនៃធាតុក្នុងវង់ក្រចក; "
     "នៅលើជួរដេករបស់ធាតុ គឺតេស្ត r x c នៃគ្រប់ជម្រើសរបស់វាលើជួរឈរក្រុម (ពិតប្រាកដ "
     "លើកលែងតែកំណត់សម្គាល់ខាងក្រោមនិយាយផ្សេង)។",
     "p: các kiểm định chính xác Fisher hai phía giữa từng cặp cột nhóm, với hiệu chỉnh Holm trên "
     "các phương án của mục trong ngoặc; trên hàng của chính mục, kiểm định r x c của mọi phương "
     "án trên các cột nhóm (chính xác trừ khi một ghi chú bên dưới nói khác)."},
    {Word::kFootMonteCarlo, "foot_monte_carlo",
     "The p of all options of {} is a Monte Carlo estimate of Fisher's exact test from {} random "
     "tables with the observed margins (fixed seed, so it is reproducible; standard error at most "
     "{}): the exact test needs too much work at these counts.",
     "តម្លៃ p នៃគ្រប់ជម្រើសរបស់ {} គឺជាការប៉ាន់ស្មាន Monte Carlo នៃតេស្តពិតប្រាកដ Fisher ពីតារាងចៃដន្យ {} "
     "ដែលមានរឹមដូចបានសង្កេត (គ្រាប់ពូជថេរ ដូច្នេះអាចធ្វើឡើងវិញបាន; កំហុសស្តង់ដារយ៉ាងច្រើន {})៖ "
     "តេស្តពិតប្រាកដត្រូវការការគណនាច្រើនពេកនៅចំនួនទាំងនេះ។",
     "Giá trị p của mọi phương án của {} là ước lượng Monte Carlo của kiểm định chính xác Fisher "
     "từ {} bảng ngẫu nhiên có cùng các biên quan sát được (hạt giống cố định nên có thể lặp lại; "
     "sai số chuẩn tối đa {}): kiểm định chính xác cần quá nhiều tính toán ở các số đếm này."},
    {Word::kFootAsymptotic, "foot_asymptotic",
     "The p of all options of {} is from Pearson's chi-square test (asymptotic) instead of "
     "Fisher's exact test: at these counts neither the exact test nor its simulation is feasible, "
     "and the two agree closely when every expected count is large.",
     "តម្លៃ p នៃគ្រប់ជម្រើសរបស់ {} បានមកពីតេស្តខាការេ Pearson (អាស៊ីមតូទិក) ជំនួសឲ្យតេស្តពិតប្រាកដ Fisher៖ "
     "នៅចំនួនទាំងនេះ ទាំងតេស្តពិតប្រាកដ និងការក្លែងធ្វើរបស់វា មិនអាចធ្វើបាន ហើយទាំងពីរស្របគ្នាខ្លាំង "
     "នៅពេលចំនួនរំពឹងទុកទាំងអស់ធំ។",
     "Giá trị p của mọi phương án của {} lấy từ kiểm định khi bình phương Pearson (tiệm cận) thay "
     "cho kiểm định chính xác Fisher: ở các số đếm này, cả kiểm định chính xác lẫn mô phỏng của nó "
     "đều không khả thi, và hai kiểm định khớp nhau khi mọi số đếm kỳ vọng đều lớn."},
    {Word::kFootNonresponse, "foot_nonresponse",
     "Nonresponse: of the respondents in the column, how many answered, and how many refused, did "
     "not know, were not asked (skipped by the questionnaire's logic) or are missing. Only kinds "
     "that occur are listed.",
     "ការមិនឆ្លើយ៖ ក្នុងចំណោមអ្នកឆ្លើយក្នុងជួរឈរ តើប៉ុន្មាននាក់បានឆ្លើយ និងប៉ុន្មាននាក់បានបដិសេធ មិនដឹង មិនត្រូវបានសួរ "
     "(រំលងដោយតក្កវិជ្ជានៃកម្រងសំណួរ) ឬបាត់។ មានតែប្រភេទដែលកើតឡើងប៉ុណ្ណោះដែលត្រូវបានរាយ។",
     "Không trả lời: trong số người trả lời của cột, bao nhiêu người đã trả lời, và bao nhiêu "
     "người từ chối, không biết, không được hỏi (bị bỏ qua theo logic của bảng hỏi) hoặc bị thiếu. "
     "Chỉ liệt kê các loại có xảy ra."},
    {Word::kFootNumeric, "foot_numeric",
     "Numeric items: mean, standard deviation (sd), median, minimum, maximum and the number of "
     "respondents who gave a number (n).",
     "ធាតុជាលេខ៖ មធ្យមភាគ គម្លាតស្តង់ដារ មេដ្យាន អប្បបរមា អតិបរមា និងចំនួនអ្នកឆ្លើយដែលបានផ្តល់លេខ។",
     "Mục dạng số: trung bình, độ lệch chuẩn, trung vị, nhỏ nhất, lớn nhất và cỡ mẫu (số người trả "
     "lời đã cho một con số)."},
    {Word::kFootBaseAll, "foot_base_all", "{}: base = all respondents, nonresponse included.",
     "{}៖ មូលដ្ឋាន = អ្នកឆ្លើយទាំងអស់ រួមទាំងការមិនឆ្លើយ។",
     "{}: mẫu số = tất cả người trả lời, kể cả không trả lời."},
    {Word::kFootBaseEligible, "foot_base_eligible", "{}: base = eligible respondents.",
     "{}៖ មូលដ្ឋាន = អ្នកឆ្លើយដែលមានលក្ខខណ្ឌ។", "{}: mẫu số = người trả lời đủ điều kiện."},
    {Word::kFootFilter, "foot_filter", "{}: only respondents for whom {} holds.",
     "{}៖ មានតែអ្នកឆ្លើយដែល {} ពិត។", "{}: chỉ những người trả lời mà {} đúng."},
    {Word::kDesignWeight, "design_weight", "weight", "ទម្ងន់", "trọng số"},
    {Word::kDesignWeights, "design_weights", "weights", "ទម្ងន់", "các trọng số"},
    {Word::kDesignStrata, "design_strata", "strata", "ស្រទាប់", "tầng"},
    {Word::kDesignClusters, "design_clusters", "clusters", "ចង្កោម", "cụm"},
    {Word::kDesignFpc, "design_fpc", "fpc", "ការកែតម្រូវប្រជាជនកំណត់", "hiệu chỉnh tổng thể hữu hạn"},
    {Word::kDesignFpcLong, "design_fpc_long", "finite population correction", "ការកែតម្រូវប្រជាជនកំណត់",
     "hiệu chỉnh tổng thể hữu hạn"},
    {Word::kDesignEqualWeights, "design_equal_weights", "equal weights", "ទម្ងន់ស្មើគ្នា",
     "trọng số bằng nhau"},
    {Word::kDesignLonelyPsu, "design_lonely_psu", "lonely PSU: {}", "PSU តែមួយ៖ {}",
     "PSU đơn lẻ: {}"},
    {Word::kMdCellsDesign, "md_cells_design",
     "Weighted ({}). Cells: weighted percent (unweighted count/base) [{}% design-based {} "
     "interval]. † count below {} (could identify {}){}; s suppressed (with complementary cells). "
     "Rao-Scott p: design-based test between the two columns, Holm-adjusted across the options of "
     "the item.",
     "មានទម្ងន់ ({})។ ក្រឡា៖ ភាគរយមានទម្ងន់ (ចំនួន/មូលដ្ឋានគ្មានទម្ងន់) [ចន្លោះ {}% តាមប្លង់គំរូ វិធី {}]។ † ចំនួនតិចជាង "
     "{} (អាចកំណត់អត្តសញ្ញាណ {} មួយបាន){}; s បានលាក់ (ជាមួយក្រឡាបំពេញ)។ p (Rao-Scott)៖ "
     "តេស្តតាមប្លង់គំរូរវាងជួរឈរទាំងពីរ កែតម្រូវ Holm លើជម្រើសនៃធាតុ។",
     "Có trọng số ({}). Ô: phần trăm có trọng số (số đếm/mẫu số không trọng số) [khoảng {}% theo "
     "thiết kế mẫu, phương pháp {}]. † số đếm dưới {} (có thể nhận ra một {}){}; s đã ẩn (cùng các "
     "ô bổ sung). p (Rao-Scott): kiểm định theo thiết kế mẫu giữa hai cột, hiệu chỉnh Holm trên "
     "các phương án của mục."},
    {Word::kMdCells, "md_cells",
     "Cells: percent (count/base) [{}% Wilson interval]. † count below {} (could identify {}){}; s "
     "suppressed (with complementary cells). Fisher p: exact test between the two columns, "
     "Holm-adjusted across the options of the item.",
     "ក្រឡា៖ ភាគរយ (ចំនួន/មូលដ្ឋាន) [ចន្លោះ Wilson {}%]។ † ចំនួនតិចជាង {} (អាចកំណត់អត្តសញ្ញាណ {} មួយបាន){}; s "
     "បានលាក់ (ជាមួយក្រឡាបំពេញ)។ p (Fisher)៖ តេស្តពិតប្រាកដរវាងជួរឈរទាំងពីរ កែតម្រូវ Holm លើជម្រើសនៃធាតុ។",
     "Ô: phần trăm (số đếm/mẫu số) [khoảng Wilson {}%]. † số đếm dưới {} (có thể nhận ra một "
     "{}){}; s đã ẩn (cùng các ô bổ sung). p (Fisher): kiểm định chính xác giữa hai cột, hiệu "
     "chỉnh Holm trên các phương án của mục."},
    {Word::kMdBaseBelow, "md_base_below", "; ‡ base below {}", "; ‡ មូលដ្ឋានតិចជាង {}",
     "; ‡ mẫu số dưới {}"},
    {Word::kSyntheticData, "synthetic_data", "SYNTHETIC DATA", "ទិន្នន័យសំយោគ (SYNTHETIC)",
     "DỮ LIỆU TỔNG HỢP (SYNTHETIC)"},
    {Word::kSyntheticBanner, "synthetic_banner",
     "SYNTHETIC DATA: the answers in this report are generated, not given by real {}",
     "ទិន្នន័យសំយោគ (SYNTHETIC)៖ ចម្លើយក្នុងរបាយការណ៍នេះត្រូវបានបង្កើតឡើង មិនមែនផ្តល់ដោយ {} ពិតប្រាកដទេ",
     "DỮ LIỆU TỔNG HỢP (SYNTHETIC): các câu trả lời trong báo cáo này được tạo ra, không phải do "
     "{} thật đưa ra"},
    {Word::kWordSynthetic, "word_synthetic", "synthetic", "សំយោគ", "tổng hợp"},
    {Word::kReportSummary, "report_summary", "{}{}; {} tables", "{}{}; តារាង {}", "{}{}; {} bảng"},
    {Word::kReportReproducedSummary, "report_reproduced_summary",
     "{} of {} published cells reproduced; {} of the {} that some count of their base can give",
     "ក្រឡាដែលបានបោះពុម្ព {} ក្នុងចំណោម {} ត្រូវបានបង្កើតឡើងវិញ; {} ក្នុងចំណោម {} "
     "ដែលចំនួនណាមួយនៃមូលដ្ឋានរបស់វាអាចផ្តល់បាន",
     "{} trên {} ô đã công bố được tái tạo; {} trên {} ô mà một số đếm nào đó của mẫu số có thể "
     "cho ra"},
    {Word::kReportSyntheticTables, "report_synthetic_tables",
     "Every table below is computed from {} answers: they show how the study's tables will look, "
     "not findings.",
     "តារាងទាំងអស់ខាងក្រោមត្រូវបានគណនាពីចម្លើយ{}៖ វាបង្ហាញពីរបៀបដែលតារាងនៃការសិក្សានឹងមើលទៅ មិនមែនជាលទ្ធផលទេ។",
     "Mọi bảng dưới đây được tính từ các câu trả lời {}: chúng cho thấy các bảng của nghiên cứu sẽ "
     "trông thế nào, không phải kết quả."},
    {Word::kReportPublishedSynthetic, "report_published_synthetic",
     "The paper published percentages but no microdata. Every table below is computed from {} "
     "respondents generated by {} to reproduce the published tables where whole counts can; they "
     "show what the study's tables should have printed (counts, bases, intervals, tests, "
     "nonresponse), not new findings.",
     "អត្ថបទបានបោះពុម្ពភាគរយ ប៉ុន្តែគ្មានទិន្នន័យលម្អិតទេ។ តារាងទាំងអស់ខាងក្រោមត្រូវបានគណនាពីអ្នកឆ្លើយ{} ដែលបង្កើតដោយ "
     "{} ដើម្បីបង្កើតតារាងដែលបានបោះពុម្ពឡើងវិញ នៅកន្លែងដែលចំនួនគត់អាចធ្វើបាន; "
     "វាបង្ហាញពីអ្វីដែលតារាងនៃការសិក្សាគួរតែបានបោះពុម្ព (ចំនួន មូលដ្ឋាន ចន្លោះ តេស្ត ការមិនឆ្លើយ) មិនមែនជាលទ្ធផលថ្មីទេ។",
     "Bài báo đã công bố tỷ lệ phần trăm nhưng không có vi dữ liệu. Mọi bảng dưới đây được tính từ "
     "những người trả lời {} do {} tạo ra để tái tạo các bảng đã công bố ở những chỗ số đếm nguyên "
     "cho phép; chúng cho thấy các bảng của nghiên cứu lẽ ra đã phải in gì (số đếm, mẫu số, khoảng "
     "tin cậy, kiểm định, không trả lời), không phải kết quả mới."},
    {Word::kReportStudyDesign, "report_study_design", "Study design", "ការរចនាការសិក្សា",
     "Thiết kế nghiên cứu"},
    {Word::kReportFieldwork, "report_fieldwork", "Fieldwork and response rates",
     "ការងារវាល និងអត្រាឆ្លើយតប", "Khảo sát thực địa và tỷ lệ trả lời"},
    {Word::kReportAudit, "report_audit", "Audit of the published tables", "សវនកម្មតារាងដែលបានបោះពុម្ព",
     "Kiểm tra các bảng đã công bố"},
    {Word::kReportUnreproduced, "report_unreproduced", "Cells not reproduced",
     "ក្រឡាដែលមិនអាចបង្កើតឡើងវិញបាន", "Các ô không tái tạo được"},
    {Word::kReportItemNonresponse, "report_item_nonresponse", "Item nonresponse", "ការមិនឆ្លើយតាមធាតុ",
     "Không trả lời theo mục"},
    {Word::kReportQualitative, "report_qualitative", "Qualitative findings", "លទ្ធផលគុណភាព",
     "Kết quả định tính"},
    {Word::kReportNetwork, "report_network", "Coordination network", "បណ្តាញសម្របសម្រួល",
     "Mạng lưới phối hợp"},
    {Word::kReportInstrument, "report_instrument",
     "Instrument: {}, version {}, {} questions and calculations, an XLSForm{}.",
     "ឧបករណ៍៖ {} កំណែ {} សំណួរ និងការគណនាចំនួន {} ជា XLSForm{}។",
     "Bảng hỏi: {}, phiên bản {}, {} câu hỏi và phép tính, dạng XLSForm{}."},
    {Word::kReportAdministered, "report_administered", " administered {}", " អនុវត្ត{}",
     ", thực hiện {}"},
    {Word::kReportLanguages, "report_languages", "Languages: {}{}.", "ភាសា៖ {}{}។",
     "Ngôn ngữ: {}{}."},
    {Word::kReportTranslations, "report_translations", " (translations: {})", " (ការបកប្រែ៖ {})",
     " (bản dịch: {})"},
    {Word::kReportSampleFrame, "report_sample_frame", "Sample frame: {}.", "បញ្ជីគំរូ៖ {}។",
     "Khung mẫu: {}."},
    {Word::kReportFrameGroup, "report_frame_group", "{}: {}, {} interviewed", "{}៖ {} បានសម្ភាសន៍ {}",
     "{}: {}, {} đã phỏng vấn"},
    {Word::kReportData, "report_data", "Data: {}{}.", "ទិន្នន័យ៖ {}{}។", "Dữ liệu: {}{}."},
    {Word::kReportSamplingDesign, "report_sampling_design",
     "Sampling design: {}; percentages are weighted, with design-based intervals and Rao-Scott "
     "tests.",
     "ប្លង់គំរូ៖ {}; ភាគរយមានទម្ងន់ ជាមួយចន្លោះតាមប្លង់គំរូ និងតេស្ត Rao-Scott។",
     "Thiết kế mẫu: {}; tỷ lệ phần trăm có trọng số, với khoảng tin cậy theo thiết kế mẫu và kiểm "
     "định Rao-Scott."},
    {Word::kReportFieldworkIntro, "report_fieldwork_intro",
     "AAPOR Standard Definitions outcome rates from the frame's final dispositions; e (the share "
     "of cases of unknown eligibility that are eligible) estimated proportionally. Counts: I "
     "complete, P partial, R refusal and break-off, NC non-contact, O other, UH/UO unknown "
     "eligibility, NE not eligible.",
     "អត្រាលទ្ធផលតាមនិយមន័យស្តង់ដារ AAPOR ពីកូដលទ្ធផលចុងក្រោយនៃបញ្ជីគំរូ; e (ចំណែកនៃករណីដែលមិនដឹងលក្ខខណ្ឌ "
     "ដែលពិតជាមានលក្ខខណ្ឌ) ប៉ាន់ស្មានតាមសមាមាត្រ។ ចំនួន៖ I បញ្ចប់ P មួយផ្នែក R បដិសេធ និងបោះបង់ NC មិនអាចទាក់ទងបាន O "
     "ផ្សេងៗ UH/UO មិនដឹងលក្ខខណ្ឌ NE គ្មានលក្ខខណ្ឌ។",
     "Tỷ lệ kết quả theo Định nghĩa chuẩn của AAPOR từ các mã kết quả cuối cùng của khung mẫu; e "
     "(tỷ lệ các trường hợp chưa rõ điều kiện mà thực sự đủ điều kiện) được ước lượng theo tỷ lệ. "
     "Số đếm: I hoàn thành, P một phần, R từ chối và bỏ dở, NC không liên lạc được, O khác, UH/UO "
     "chưa rõ điều kiện, NE không đủ điều kiện."},
    {Word::kColumnGroup, "column_group", "Group", "ក្រុម", "Nhóm"},
    {Word::kReportAsRecorded, "report_as_recorded", "Final dispositions as recorded",
     "លទ្ធផលចុងក្រោយដូចដែលបានកត់ត្រា", "Kết quả cuối cùng như đã ghi"},
    {Word::kReportAsRecordedNote, "report_as_recorded_note",
     "The frame's final disposition codes, as the study team recorded them.",
     "កូដលទ្ធផលចុងក្រោយនៃបញ្ជីគំរូ ដូចដែលក្រុមការសិក្សាបានកត់ត្រា។",
     "Các mã kết quả cuối cùng của khung mẫu, như nhóm nghiên cứu đã ghi."},
    {Word::kReportReadAs, "report_read_as", "Read as {} instead of {}", "អានជា {} ជំនួសឲ្យ {}",
     "Đọc là {} thay vì {}"},
    {Word::kReportReadAsNote, "report_read_as_note",
     "{}: recorded as {}; the frame notes that they may be read as {} (the disposition_alt "
     "column). These rates count them that way, everything else as recorded.",
     "{}៖ បានកត់ត្រាជា {}; បញ្ជីគំរូកត់សម្គាល់ថាអាចអានជា {} (ជួរឈរ disposition_alt)។ "
     "អត្រាទាំងនេះរាប់ពួកវាតាមរបៀបនោះ អ្វីៗផ្សេងទៀតដូចដែលបានកត់ត្រា។",
     "{}: được ghi là {}; khung mẫu ghi chú rằng có thể đọc là {} (cột disposition_alt). Các tỷ lệ "
     "này tính chúng theo cách đó, mọi thứ khác như đã ghi."},
    {Word::kReportNotApplicable, "report_not_applicable", "n/a", "គ្មាន", "không có"},
    {Word::kReportNonresponseIntro, "report_nonresponse_intro",
     "Respondents in each item's base who did not answer it, by kind. Refusals are answers too.",
     "អ្នកឆ្លើយក្នុងមូលដ្ឋាននៃធាតុនីមួយៗ ដែលមិនបានឆ្លើយវា តាមប្រភេទ។ ការបដិសេធក៏ជាចម្លើយដែរ។",
     "Những người trả lời trong mẫu số của mỗi mục mà không trả lời mục đó, theo loại. Từ chối "
     "cũng là một câu trả lời."},
    {Word::kColumnTable, "column_table", "Table", "តារាង", "Bảng"},
    {Word::kColumnInBase, "column_in_base", "In base", "ក្នុងមូលដ្ឋាន", "Trong mẫu số"},
    {Word::kColumnAnswered, "column_answered", "Answered", "បានឆ្លើយ", "Đã trả lời"},
    {Word::kValueRefused, "value_refused", "Refused", "បដិសេធមិនឆ្លើយ", "Từ chối trả lời"},
    {Word::kValueDontKnow, "value_dont_know", "Don't know", "មិនដឹង", "Không biết"},
    {Word::kColumnMissing, "column_missing", "Missing", "បាត់", "Thiếu"},
    {Word::kColumnNotAsked, "column_not_asked", "Not asked", "មិនបានសួរ", "Không hỏi"},
    {Word::kReportNoNonresponse, "report_no_nonresponse",
     "No item has a refusal, don't know or missing answer in any group.",
     "គ្មានធាតុណាមួយមានការបដិសេធ មិនដឹង ឬចម្លើយបាត់ ក្នុងក្រុមណាមួយទេ។",
     "Không mục nào có câu trả lời từ chối, không biết hoặc bị thiếu ở bất kỳ nhóm nào."},
    {Word::kReportGenerated, "report_generated", "Generated by ngosurvey from {}",
     "បង្កើតដោយ ngosurvey ពី {}", "Do ngosurvey tạo từ {}"},
    {Word::kCodebookTitle, "codebook_title", "Codebook: {} ({}, version {})",
     "សៀវភៅកូដ៖ {} ({} កំណែ {})", "Sổ mã: {} ({}, phiên bản {})"},
    {Word::kCodebookIntro, "codebook_intro",
     "Labels in language '{}'. Refused is stored as '{}' in CSV and XLSX, .a in Stata and -97 "
     "(user-missing) in SPSS; don't know as '{}', .b and -98. Not asked (skipped by relevance) and "
     "missing are empty / system missing. Dates are Stata %td / SPSS DATE, date-times %tc / "
     "DATETIME in the local time they were written in (CSV and XLSX keep their UTC offset: "
     "2024-03-05T09:12:44.123+07:00).",
     "ស្លាកជាភាសា '{}'។ ការបដិសេធត្រូវបានរក្សាទុកជា '{}' ក្នុង CSV និង XLSX, .a ក្នុង Stata និង -97 "
     "(តម្លៃបាត់កំណត់ដោយអ្នកប្រើ) ក្នុង SPSS; មិនដឹងជា '{}', .b និង -98។ មិនបានសួរ (រំលងដោយលក្ខខណ្ឌ) និងបាត់ គឺទទេ / "
     "តម្លៃបាត់របស់ប្រព័ន្ធ។ កាលបរិច្ឆេទជា Stata %td / SPSS DATE, កាលបរិច្ឆេទ-ម៉ោងជា %tc / DATETIME "
     "តាមម៉ោងក្នុងស្រុកដែលបានសរសេរ (CSV និង XLSX រក្សាគម្លាតម៉ោង UTC របស់វា៖ 2024-03-05T09:12:44.123+07:00)។",
     "Nhãn bằng ngôn ngữ '{}'. Từ chối trả lời được lưu là '{}' trong CSV và XLSX, .a trong Stata "
     "và -97 (giá trị thiếu do người dùng định nghĩa) trong SPSS; không biết là '{}', .b và -98. "
     "Không hỏi (bị bỏ qua theo điều kiện hiển thị) và thiếu là ô trống / giá trị thiếu hệ thống. "
     "Ngày là %td của Stata / DATE của SPSS, ngày giờ là %tc / DATETIME theo giờ địa phương lúc "
     "ghi (CSV và XLSX giữ độ lệch UTC: 2024-03-05T09:12:44.123+07:00)."},
    {Word::kCodebookMainFile, "codebook_main_file", "the main file", "ឯកសារមេ", "tệp chính"},
    {Word::kCodebookRepeatFile, "codebook_repeat_file", "repeat '{}' (linked by PARENT_KEY)",
     "ក្រុមដដែលៗ '{}' (ភ្ជាប់ដោយ PARENT_KEY)", "nhóm lặp '{}' (liên kết bằng PARENT_KEY)"},
    {Word::kCodebookLevel, "codebook_level", "{} ({}, {} rows)", "{} ({} {} ជួរ)",
     "{} ({}, {} dòng)"},
    {Word::kCodebookColumnLabel, "codebook_column_label", "Label", "ស្លាក", "Nhãn"},
    {Word::kCodebookColumnType, "codebook_column_type", "Type", "ប្រភេទ", "Loại"},
    {Word::kCodebookColumnChoices, "codebook_column_choices", "Choices (codes)", "ជម្រើស (កូដ)",
     "Lựa chọn (mã)"},
    {Word::kCodebookColumnRelevance, "codebook_column_relevance", "Relevance", "លក្ខខណ្ឌសួរ",
     "Điều kiện hỏi"},
    {Word::kCodebookColumnMissing, "codebook_column_missing", "Missing values", "តម្លៃបាត់",
     "Giá trị thiếu"},
    {Word::kCodebookSelected, "codebook_selected", "1 = selected, 0 = not selected",
     "1 = បានជ្រើស, 0 = មិនបានជ្រើស", "1 = được chọn, 0 = không được chọn"},
    {Word::kCodebookMissingText, "codebook_missing_text",
     "refused: '{}', don't know: '{}', not asked / missing: empty",
     "បដិសេធ៖ '{}', មិនដឹង៖ '{}', មិនបានសួរ / បាត់៖ ទទេ",
     "từ chối: '{}', không biết: '{}', không hỏi / thiếu: trống"},
    {Word::kCodebookMissingCodes, "codebook_missing_codes",
     "refused: .a (Stata), -97 (SPSS), '{}' (CSV); don't know: .b, -98, '{}'; not asked / missing: "
     "system missing, empty",
     "បដិសេធ៖ .a (Stata), -97 (SPSS), '{}' (CSV); មិនដឹង៖ .b, -98, '{}'; មិនបានសួរ / បាត់៖ "
     "តម្លៃបាត់របស់ប្រព័ន្ធ, ទទេ",
     "từ chối: .a (Stata), -97 (SPSS), '{}' (CSV); không biết: .b, -98, '{}'; không hỏi / thiếu: "
     "giá trị thiếu hệ thống, trống"},
    {Word::kValueSelected, "value_selected", "Selected", "បានជ្រើស", "Được chọn"},
    {Word::kValueNotSelected, "value_not_selected", "Not selected", "មិនបានជ្រើស", "Không được chọn"},
    {Word::kExportPlatformMetadata, "export_platform_metadata", "Platform metadata: {}",
     "ទិន្នន័យមេតានៃវេទិកា៖ {}", "Siêu dữ liệu nền tảng: {}"},
    {Word::kExportOtherSpecify, "export_other_specify", "{}: other, specify", "{}៖ ផ្សេងៗ សូមបញ្ជាក់",
     "{}: khác, ghi rõ"},
    {Word::kTabulateAllItemsBy, "tabulate_all_items_by", "All items by {}", "ធាតុទាំងអស់តាម {}",
     "Mọi mục theo {}"},
    {Word::kTabulateItemsOfBy, "tabulate_items_of_by", "Items of {} by {}", "ធាតុនៃ {} តាម {}",
     "Các mục của {} theo {}"},
    {Word::kCmpPublished, "cmp_published", "published", "បានបោះពុម្ព", "đã công bố"},
    {Word::kCmpReproduced, "cmp_reproduced", "reproduced", "បង្កើតឡើងវិញ", "tái tạo"},
    {Word::kCmpPublishedHeading, "cmp_published_heading", "Published", "បានបោះពុម្ព", "Đã công bố"},
    {Word::kCmpReproducedHeading, "cmp_reproduced_heading", "Reproduced", "បង្កើតឡើងវិញ", "Tái tạo"},
    {Word::kColumnOption, "column_option", "Option", "ជម្រើស", "Phương án"},
    {Word::kCmpInterval, "cmp_interval", "95% CI", "ចន្លោះទំនុកចិត្ត 95%", "KTC 95%"},
    {Word::kCmpNoResponse, "cmp_no_response", "no response", "គ្មានចម្លើយ", "không trả lời"},
    {Word::kCmpAnswered, "cmp_answered", "{} answered", "{} បានឆ្លើយ", "{} đã trả lời"},
    {Word::kCmpFlagLegend, "cmp_flag_legend",
     "† fewer than {} {}: a cell this small could identify one of them. ‡ no count of the base "
     "gives the published value (see the audit). ✗ the data do not reproduce the published value.",
     "† តិចជាង {} {}៖ ក្រឡាតូចបែបនេះអាចកំណត់អត្តសញ្ញាណម្នាក់ក្នុងចំណោមពួកគេបាន។ ‡ "
     "គ្មានចំនួនណាមួយនៃមូលដ្ឋានផ្តល់តម្លៃដែលបានបោះពុម្ពទេ (មើលសវនកម្ម)។ ✗ ទិន្នន័យមិនបង្កើតតម្លៃដែលបានបោះពុម្ពឡើងវិញទេ។",
     "† ít hơn {} {}: một ô nhỏ như vậy có thể nhận ra một trong số họ. ‡ không có số đếm nào của "
     "mẫu số cho ra giá trị đã công bố (xem phần kiểm tra). ✗ dữ liệu không tái tạo được giá trị "
     "đã công bố."},
    {Word::kCmpFisherNote, "cmp_fisher_note",
     "Fisher p: exact test between the groups for the option, adjusted across the item's options "
     "by Holm.",
     "p (Fisher)៖ តេស្តពិតប្រាកដរវាងក្រុមសម្រាប់ជម្រើស កែតម្រូវលើជម្រើសនៃធាតុដោយ Holm។",
     "p (Fisher): kiểm định chính xác giữa các nhóm cho phương án, hiệu chỉnh Holm trên các phương "
     "án của mục."},
    {Word::kCmpNoCount, "cmp_no_count", "no count of the base {} gives it (nearest {})",
     "គ្មានចំនួនណាមួយនៃមូលដ្ឋាន {} ផ្តល់តម្លៃនេះទេ (ជិតបំផុត {})",
     "không có số đếm nào của mẫu số {} cho ra giá trị này (gần nhất {})"},
    {Word::kCmpOtherValue, "cmp_other_value", "the data give another value", "ទិន្នន័យផ្តល់តម្លៃផ្សេង",
     "dữ liệu cho ra giá trị khác"},
    {Word::kAuditSummary, "audit_summary",
     "{} published cells checked against their bases (study/bases.toml) with exact arithmetic: {} "
     "consistent, {} that no count of their base gives, {} printed as no response.",
     "ក្រឡាដែលបានបោះពុម្ព {} ត្រូវបានពិនិត្យធៀបនឹងមូលដ្ឋានរបស់វា (study/bases.toml) ដោយនព្វន្តពិតប្រាកដ៖ {} ស្របគ្នា "
     "{} ដែលគ្មានចំនួនណាមួយនៃមូលដ្ឋានផ្តល់បាន {} បោះពុម្ពជាគ្មានចម្លើយ។",
     "{} ô đã công bố được đối chiếu với mẫu số của chúng (study/bases.toml) bằng số học chính "
     "xác: {} nhất quán, {} không có số đếm nào của mẫu số cho ra, {} được in là không trả lời."},
    {Word::kAuditTable, "audit_table", "(Table {})", "(តារាង {})", "(Bảng {})"},
    {Word::kUnreproducedCell, "unreproduced_cell",
     "Table {}, {} – {}, {}: published {}, reproduced {} ({})",
     "តារាង {}, {} – {}, {}៖ បានបោះពុម្ព {} បង្កើតឡើងវិញ {} ({})",
     "Bảng {}, {} – {}, {}: công bố {}, tái tạo {} ({})"},
    {Word::kEveryCellReproduced, "every_cell_reproduced", "Every published cell is reproduced.",
     "ក្រឡាដែលបានបោះពុម្ពទាំងអស់ត្រូវបានបង្កើតឡើងវិញ។", "Mọi ô đã công bố đều được tái tạo."},
    {Word::kQualCodedBy, "qual_coded_by",
     "Coded by {} ({}); {} coded by two coders or more; {} reconciled after review (code "
     "reconcile). Agreement per theme: each answer judged theme present or absent by each coder; "
     "Krippendorff's alpha (nominal) with its 95% bootstrap interval.",
     "បានដាក់កូដដោយ {} ({}); {} បានដាក់កូដដោយអ្នកដាក់កូដពីរនាក់ឡើងទៅ; {} បានផ្សះផ្សាបន្ទាប់ពីពិនិត្យ (code "
     "reconcile)។ ការយល់ស្របតាមប្រធានបទ៖ ចម្លើយនីមួយៗត្រូវបានវិនិច្ឆ័យថាមាន ឬគ្មានប្រធានបទ ដោយអ្នកដាក់កូដម្នាក់ៗ; "
     "alpha របស់ Krippendorff (nominal) ជាមួយចន្លោះ bootstrap 95%។",
     "Được mã hóa bởi {} ({}); {} được mã hóa bởi từ hai người mã hóa trở lên; {} được thống nhất "
     "lại sau khi xem xét (code reconcile). Mức đồng thuận theo chủ đề: mỗi câu trả lời được từng "
     "người mã hóa đánh giá là có hay không có chủ đề; alpha của Krippendorff (định danh) với "
     "khoảng bootstrap 95%."},
    {Word::kQualOneCoder, "qual_one_coder", "{} coder", "អ្នកដាក់កូដ {} នាក់", "{} người mã hóa"},
    {Word::kQualCoders, "qual_coders", "{} coders", "អ្នកដាក់កូដ {} នាក់", "{} người mã hóa"},
    {Word::kQualNobody, "qual_nobody", "nobody", "គ្មាននរណាម្នាក់", "không ai"},
    {Word::kWordAnd, "word_and", "{} and {}", "{} និង {}", "{} và {}"},
    {Word::kQualIntro, "qual_intro",
     "Open answers coded with the codebook {} (version {}). Each theme is counted as an item: the "
     "share of {} whose answer mentions it, with 95% intervals and Fisher tests between the "
     "groups; a theme counts the answers coded with its sub-themes too. The codes counted are the "
     "reconciled ones, else those the coders agree on. Quotes are attributed by pseudonym only.",
     "ចម្លើយបើកចំហបានដាក់កូដតាមសៀវភៅកូដ {} (កំណែ {})។ ប្រធានបទនីមួយៗត្រូវបានរាប់ជាធាតុមួយ៖ ចំណែកនៃ {} "
     "ដែលចម្លើយលើកឡើងពីវា ជាមួយចន្លោះ 95% និងតេស្ត Fisher រវាងក្រុម; "
     "ប្រធានបទមួយរាប់ទាំងចម្លើយដែលបានដាក់កូដជាមួយប្រធានបទរងរបស់វាដែរ។ កូដដែលត្រូវបានរាប់ គឺកូដដែលបានផ្សះផ្សា "
     "បើមិនដូច្នោះទេ កូដដែលអ្នកដាក់កូដយល់ស្របគ្នា។ សម្រង់ត្រូវបានកំណត់ដោយឈ្មោះក្លែងក្លាយតែប៉ុណ្ណោះ។",
     "Các câu trả lời mở được mã hóa theo sổ mã {} (phiên bản {}). Mỗi chủ đề được tính như một "
     "mục: tỷ lệ {} có câu trả lời nhắc đến chủ đề, với khoảng 95% và kiểm định Fisher giữa các "
     "nhóm; một chủ đề tính cả các câu trả lời được mã hóa bằng các chủ đề con của nó. Mã được "
     "tính là mã đã thống nhất, nếu không thì mã mà những người mã hóa đồng ý. Trích dẫn chỉ ghi "
     "bằng bí danh."},
    {Word::kQualIntroShort, "qual_intro_short",
     "Open answers coded with the codebook {} (version {}); each theme counted as an item (the "
     "share of {} whose answer mentions it), the reconciled codes, else those the coders agree on. "
     "Quotes are attributed by pseudonym only.",
     "ចម្លើយបើកចំហបានដាក់កូដតាមសៀវភៅកូដ {} (កំណែ {}); ប្រធានបទនីមួយៗរាប់ជាធាតុមួយ (ចំណែកនៃ {} "
     "ដែលចម្លើយលើកឡើងពីវា) កូដដែលបានផ្សះផ្សា បើមិនដូច្នោះទេ កូដដែលអ្នកដាក់កូដយល់ស្របគ្នា។ "
     "សម្រង់ត្រូវបានកំណត់ដោយឈ្មោះក្លែងក្លាយតែប៉ុណ្ណោះ។",
     "Các câu trả lời mở được mã hóa theo sổ mã {} (phiên bản {}); mỗi chủ đề tính như một mục (tỷ "
     "lệ {} có câu trả lời nhắc đến chủ đề), theo mã đã thống nhất, nếu không thì mã mà những "
     "người mã hóa đồng ý. Trích dẫn chỉ ghi bằng bí danh."},
    {Word::kQualSynthetic, "qual_synthetic",
     "The open answers, their codings and the quotes below are {}: generated from the codebook's "
     "themes, not said by any organisation.",
     "ចម្លើយបើកចំហ ការដាក់កូដ និងសម្រង់ខាងក្រោម គឺ{}៖ បង្កើតពីប្រធានបទនៃសៀវភៅកូដ មិនមែននិយាយដោយអង្គការណាមួយទេ។",
     "Các câu trả lời mở, mã hóa của chúng và các trích dẫn dưới đây là {}: được tạo từ các chủ đề "
     "của sổ mã, không phải do tổ chức nào nói."},
    {Word::kQualSyntheticShort, "qual_synthetic_short",
     "The open answers, their codings and the quotes are {}.", "ចម្លើយបើកចំហ ការដាក់កូដ និងសម្រង់ គឺ{}។",
     "Các câu trả lời mở, mã hóa của chúng và các trích dẫn là {}."},
    {Word::kQualAgreement, "qual_agreement", "Agreement of the coders", "ការយល់ស្របរបស់អ្នកដាក់កូដ",
     "Mức đồng thuận của người mã hóa"},
    {Word::kQualTheme, "qual_theme", "Theme", "ប្រធានបទ", "Chủ đề"},
    {Word::kQualAnswers, "qual_answers", "Answers", "ចម្លើយ", "Câu trả lời"},
    {Word::kQualPercentAgreement, "qual_percent_agreement", "Percent agreement", "ភាគរយនៃការយល់ស្រប",
     "Tỷ lệ đồng thuận"},
    {Word::kQualCohen, "qual_cohen", "Cohen's kappa", "kappa របស់ Cohen", "kappa của Cohen"},
    {Word::kQualAlpha, "qual_alpha", "Krippendorff's alpha (95% CI)",
     "alpha របស់ Krippendorff (ចន្លោះ 95%)", "alpha của Krippendorff (KTC 95%)"},
    {Word::kQualQuotes, "qual_quotes", "Quotes by theme", "សម្រង់តាមប្រធានបទ",
     "Trích dẫn theo chủ đề"},
    {Word::kQualMentioning, "qual_mentioning", "({} of {} {} mentioning it)",
     "({} ក្នុងចំណោម {} {} ដែលលើកឡើងពីវា)", "({} trên {} {} nhắc đến chủ đề này)"},
    {Word::kQualAllThemes, "qual_all_themes", "All themes (pooled)", "គ្រប់ប្រធានបទ (រួមគ្នា)",
     "Mọi chủ đề (gộp)"},
    {Word::kNetIntro, "net_intro",
     "Each arrow is a tie from a responding {} to an organisation it named in {}. {} responded; {} "
     "of the frame did not and are drawn hollow, with the ties others sent them. Measures are "
     "defined in {} ({}).",
     "ព្រួញនីមួយៗជាទំនាក់ទំនងពី {} ដែលបានឆ្លើយ ទៅអង្គការមួយដែលវាបានដាក់ឈ្មោះក្នុង {}។ {} បានឆ្លើយ; {} "
     "នៃបញ្ជីគំរូមិនបានឆ្លើយទេ ហើយត្រូវបានគូរប្រហោង ជាមួយទំនាក់ទំនងដែលអ្នកដទៃផ្ញើមកពួកគេ។ រង្វាស់ត្រូវបានកំណត់ក្នុង {} "
     "({})។",
     "Mỗi mũi tên là một liên kết từ một {} có trả lời đến một tổ chức mà nó nêu tên trong {}. {} "
     "đã trả lời; {} trong khung mẫu không trả lời và được vẽ rỗng, với các liên kết mà người khác "
     "gửi đến họ. Các thước đo được định nghĩa trong {} ({})."},
    {Word::kNetOnePerCountry, "net_one_per_country", ", one per country", ", មួយក្នុងមួយប្រទេស",
     ", mỗi quốc gia một"},
    {Word::kNetMeasures, "net_measures", "Whole-network measures", "រង្វាស់នៃបណ្តាញទាំងមូល",
     "Các thước đo toàn mạng lưới"},
    {Word::kNetScope, "net_scope", "Scope", "វិសាលភាព", "Phạm vi"},
    {Word::kNetOrganisations, "net_organisations", "Organisations", "អង្គការ", "Tổ chức"},
    {Word::kNetTies, "net_ties", "Ties", "ទំនាក់ទំនង", "Liên kết"},
    {Word::kNetDensity, "net_density", "Density", "ដង់ស៊ីតេ", "Mật độ"},
    {Word::kNetReciprocity, "net_reciprocity", "Reciprocity", "ភាពទៅវិញទៅមក", "Tính tương hỗ"},
    {Word::kNetWeakComponents, "net_weak_components", "Weak components", "សមាសភាគខ្សោយ",
     "Thành phần liên thông yếu"},
    {Word::kNetNgoNgo, "net_ngo_ngo", "NGO–NGO ties", "ទំនាក់ទំនង NGO–NGO", "Liên kết NGO–NGO"},
    {Word::kNetNgoGovernment, "net_ngo_government", "NGO–government ties", "ទំនាក់ទំនង NGO–រដ្ឋាភិបាល",
     "Liên kết NGO–chính phủ"},
    {Word::kNetNamedMost, "net_named_most", "Organisations named most often",
     "អង្គការដែលត្រូវបានដាក់ឈ្មោះញឹកញាប់បំផុត", "Các tổ chức được nêu tên nhiều nhất"},
    {Word::kNetKind, "net_kind", "Kind", "ប្រភេទ", "Loại"},
    {Word::kNetNamedBy, "net_named_by", "Named by", "ដាក់ឈ្មោះដោយ", "Được nêu tên bởi"},
    {Word::kNetBetweenness, "net_betweenness", "Betweenness", "ភាពជាកណ្តាល", "Độ trung gian"},
    {Word::kNetIntroShort, "net_intro_short",
     "Ties from responding {} to the organisations they named in {}{}; the drawing is in "
     "report.html.",
     "ទំនាក់ទំនងពី {} ដែលបានឆ្លើយ ទៅអង្គការដែលពួកគេបានដាក់ឈ្មោះក្នុង {}{}; គំនូរមាននៅក្នុង report.html។",
     "Liên kết từ các {} có trả lời đến các tổ chức mà họ nêu tên trong {}{}; hình vẽ có trong "
     "report.html."},
    {Word::kNetNamedMostShort, "net_named_most_short", "Named most often: {}.",
     "ត្រូវបានដាក់ឈ្មោះញឹកញាប់បំផុត៖ {}។", "Được nêu tên nhiều nhất: {}."},
    {Word::kTableTotal, "table_total", "Total", "សរុប", "Tổng"},
    {Word::kTableAll, "table_all", "All", "ទាំងអស់", "Tất cả"},
    {Word::kXlsxItemOption, "xlsx_item_option", "Item / option", "ធាតុ / ជម្រើស", "Mục / phương án"},
    {Word::kXlsxCount, "xlsx_count", "count", "ចំនួន", "số đếm"},
    {Word::kXlsxBase, "xlsx_base", "base", "មូលដ្ឋាន", "mẫu số"},
    {Word::kXlsxWilsonLo, "xlsx_wilson_lo", "Wilson lo", "Wilson ទាប", "Wilson dưới"},
    {Word::kXlsxWilsonHi, "xlsx_wilson_hi", "Wilson hi", "Wilson ខ្ពស់", "Wilson trên"},
    {Word::kXlsxCiLo, "xlsx_ci_lo", "CI lo", "ចន្លោះទាប", "KTC dưới"},
    {Word::kXlsxCiHi, "xlsx_ci_hi", "CI hi", "ចន្លោះខ្ពស់", "KTC trên"},
    {Word::kXlsxFlags, "xlsx_flags", "flags", "សញ្ញា", "ký hiệu"},
    {Word::kXlsxFisherOf, "xlsx_fisher_of", "Fisher: {}", "តេស្ត Fisher៖ {}",
     "Kiểm định Fisher: {}"},
    {Word::kXlsxRaoScottOf, "xlsx_rao_scott_of", "Rao-Scott: {}", "តេស្ត Rao-Scott៖ {}",
     "Kiểm định Rao-Scott: {}"},
    {Word::kXlsxHolmP, "xlsx_holm_p", "Holm p", "p កែតម្រូវ Holm", "p hiệu chỉnh Holm"},
    {Word::kXlsxMentions, "xlsx_mentions", "Share of all mentions", "ចំណែកនៃការលើកឡើងទាំងអស់",
     "Tỷ lệ trên tổng số lần nhắc đến"},
    {Word::kXlsxNumericItems, "xlsx_numeric_items", "Numeric items", "ធាតុជាលេខ", "Các mục dạng số"},
    {Word::kXlsxNotes, "xlsx_notes", "Notes", "កំណត់សម្គាល់", "Ghi chú"},
    {Word::kXlsxNoTables, "xlsx_no_tables", "No tables.", "គ្មានតារាងទេ។", "Không có bảng nào."},
    {Word::kXlsxAnswered, "xlsx_answered", "answered", "បានឆ្លើយ", "đã trả lời"},
    {Word::kDescIs, "desc_is", "{} is {}", "{} គឺ {}", "{} là {}"},
    {Word::kDescIsNot, "desc_is_not", "{} is not {}", "{} មិនមែនជា {}", "{} không phải là {}"},
    {Word::kDescLessThan, "desc_less_than", "{} is less than {}", "{} តិចជាង {}", "{} nhỏ hơn {}"},
    {Word::kDescAtMost, "desc_at_most", "{} is at most {}", "{} មិនលើសពី {}", "{} không quá {}"},
    {Word::kDescMoreThan, "desc_more_than", "{} is more than {}", "{} ច្រើនជាង {}", "{} lớn hơn {}"},
    {Word::kDescAtLeast, "desc_at_least", "{} is at least {}", "{} យ៉ាងតិច {}", "{} ít nhất là {}"},
    {Word::kDescNotAnswered, "desc_not_answered", "{} is not answered", "{} មិនទាន់បានឆ្លើយ",
     "{} chưa được trả lời"},
    {Word::kDescAnswered, "desc_answered", "{} is answered", "{} បានឆ្លើយ", "{} đã được trả lời"},
    {Word::kDescIncludes, "desc_includes", "{} includes {}", "{} រួមមាន {}", "{} có chọn {}"},
    {Word::kDescNotIncludes, "desc_not_includes", "{} does not include {}", "{} មិនរួមមាន {}",
     "{} không chọn {}"},
    {Word::kDescNot, "desc_not", "not ({})", "មិនមែន ({})", "không phải ({})"},
    {Word::kDescCountSelected, "desc_count_selected", "the number of options chosen in {}",
     "ចំនួនជម្រើសដែលបានជ្រើសក្នុង {}", "số phương án được chọn trong {}"},
    {Word::kDescLength, "desc_length", "the length of {}", "ប្រវែងនៃ {}", "độ dài của {}"},
    {Word::kDescTheAnswer, "desc_the_answer", "the answer", "ចម្លើយ", "câu trả lời"},
    {Word::kDescExpression, "desc_expression", "(an expression)", "(កន្សោមមួយ)", "(một biểu thức)"},
    {Word::kDescWhere, "desc_where", "{} [where {}]", "{} [ដែល {}]", "{} [với {}]"},
    {Word::kDescAskedIf, "desc_asked_if", "Asked if {}", "សួរប្រសិនបើ {}", "Hỏi nếu {}"},
    {Word::kWordOr, "word_or", "{} or {}", "{} ឬ {}", "{} hoặc {}"},
    {Word::kNoteEmptyColumn, "note_empty_column", "no test: a column has no respondents",
     "គ្មានតេស្ត៖ ជួរឈរមួយគ្មានអ្នកឆ្លើយ", "không có kiểm định: một cột không có người trả lời"},
    {Word::kNoteNotComputed, "note_not_computed", "not computed: {}", "មិនបានគណនា៖ {}",
     "không tính được: {}"},
    {Word::kNoteSameAnswer, "note_same_answer", "no test: every respondent gave the same answer",
     "គ្មានតេស្ត៖ អ្នកឆ្លើយទាំងអស់បានផ្តល់ចម្លើយដូចគ្នា",
     "không có kiểm định: mọi người trả lời đều đưa ra cùng một câu trả lời"},
    {Word::kNoteTooFew, "note_too_few", "no test: fewer than two answered options or groups",
     "គ្មានតេស្ត៖ ជម្រើស ឬក្រុមដែលមានចម្លើយ តិចជាងពីរ",
     "không có kiểm định: ít hơn hai phương án hoặc nhóm có trả lời"},
    {Word::kNoteWithheld, "note_withheld", "withheld: the test would reveal a suppressed cell",
     "មិនបង្ហាញ៖ តេស្តនឹងបង្ហាញក្រឡាដែលបានលាក់", "không công bố: kiểm định sẽ làm lộ một ô đã ẩn"},
    {Word::kNoteTooManyOptions, "note_too_many_options", "no test: more than {} options",
     "គ្មានតេស្ត៖ ច្រើនជាង {} ជម្រើស", "không có kiểm định: nhiều hơn {} phương án"},
    {Word::kNoteNoDf, "note_no_df", "no test: no degrees of freedom", "គ្មានតេស្ត៖ គ្មានដឺក្រេសេរី",
     "không có kiểm định: không có bậc tự do"},
    {Word::kExportInstanceId, "export_instance_id", "Instance id", "លេខសម្គាល់ការសម្ភាសន៍",
     "Mã bản ghi"},
    {Word::kExportRepeatKey, "export_repeat_key", "Key of this repeat row", "កូនសោនៃជួរដេកដដែលៗនេះ",
     "Khóa của dòng lặp này"},
    {Word::kExportParentKey, "export_parent_key", "Key of the parent row", "កូនសោនៃជួរដេកមេ",
     "Khóa của dòng cha"},
    {Word::kExportFormVersion, "export_form_version", "Form version", "កំណែកម្រងសំណួរ",
     "Phiên bản bảng hỏi"},
    {Word::kExportWave, "export_wave", "Wave (pretest or main)", "វគ្គ (សាកល្បង ឬចម្បង)",
     "Đợt (thử nghiệm hoặc chính thức)"},
    {Word::kExportOrganisationId, "export_organisation_id", "Organisation id", "លេខសម្គាល់អង្គការ",
     "Mã tổ chức"},
    {Word::kExportReviewStatus, "export_review_status",
     "Review status (KoboToolbox's validation status)",
     "ស្ថានភាពត្រួតពិនិត្យ (validation status របស់ KoboToolbox)",
     "Trạng thái kiểm tra (validation status của KoboToolbox)"},
    {Word::kExportLevel, "export_level", "Level", "កម្រិត", "Cấp"},
    {Word::kNetworkDescription, "network_description",
     "{} organisations ({} responded) and {} directed ties: an arrow from an organisation to each "
     "organisation it named as a partner.",
     "អង្គការ {} ({} បានឆ្លើយ) និងទំនាក់ទំនងមានទិស {}៖ ព្រួញមួយពីអង្គការមួយទៅអង្គការនីមួយៗដែលវាបានដាក់ឈ្មោះជាដៃគូ។",
     "{} tổ chức ({} đã trả lời) và {} mối liên kết có hướng: mỗi mũi tên đi từ một tổ chức đến "
     "từng tổ chức mà tổ chức đó nêu tên là đối tác."},
    {Word::kNetworkStatusNamed, "network_status_named", "named by respondents",
     "ត្រូវបានដាក់ឈ្មោះដោយអ្នកឆ្លើយ", "được người trả lời nêu tên"},
    {Word::kNetworkStatusResponded, "network_status_responded", "responded", "បានឆ្លើយ",
     "đã trả lời"},
    {Word::kNetworkStatusSilent, "network_status_silent", "did not respond (in-ties only)",
     "មិនបានឆ្លើយ (មានតែទំនាក់ទំនងចូល)", "không trả lời (chỉ có liên kết đến)"},
    {Word::kNetworkLegendResponded, "network_legend_responded", "NGO (responded)",
     "អង្គការមិនមែនរដ្ឋាភិបាល (បានឆ្លើយ)", "Tổ chức phi chính phủ (đã trả lời)"},
    {Word::kNetworkLegendSilent, "network_legend_silent", "NGO of the frame that did not respond",
     "អង្គការមិនមែនរដ្ឋាភិបាលក្នុងក្របខណ្ឌគំរូដែលមិនបានឆ្លើយ",
     "Tổ chức phi chính phủ trong khung mẫu không trả lời"},
    {Word::kNetworkSummary, "network_summary",
     "{} organisations, {} ties, from {} completed submissions; {} responding organisations, {} of "
     "the frame did not respond and appear with the ties others named.",
     "អង្គការ {} ទំនាក់ទំនង {} ពីការបញ្ជូនដែលបានបញ្ចប់ {}; អង្គការដែលបានឆ្លើយ {} ហើយ {} ក្នុងក្របខណ្ឌគំរូមិនបានឆ្លើយ "
     "និងបង្ហាញជាមួយទំនាក់ទំនងដែលអ្នកដទៃបានដាក់ឈ្មោះ។",
     "{} tổ chức, {} mối liên kết, từ {} bản nộp đã hoàn tất; {} tổ chức đã trả lời, {} tổ chức "
     "trong khung mẫu không trả lời và xuất hiện qua các liên kết mà tổ chức khác nêu tên."},
    {Word::kNetworkScopeSummary, "network_scope_summary", "{} organisations, {} ties.",
     "អង្គការ {} ទំនាក់ទំនង {}។", "{} tổ chức, {} mối liên kết."},
    {Word::kNetworkOverall, "network_overall", "Overall", "សរុប", "Toàn bộ"},
    {Word::kNetworkColumnMeasure, "network_column_measure", "Measure", "រង្វាស់", "Chỉ số"},
    {Word::kNetworkColumnValue, "network_column_value", "Value", "តម្លៃ", "Giá trị"},
    {Word::kNetworkColumnOrganisation, "network_column_organisation", "Organisation", "អង្គការ",
     "Tổ chức"},
    {Word::kNetworkColumnName, "network_column_name", "Name", "ឈ្មោះ", "Tên"},
    {Word::kNetworkColumnKind, "network_column_kind", "Kind", "ប្រភេទ", "Loại"},
    {Word::kNetworkColumnStatus, "network_column_status", "Status", "ស្ថានភាព", "Trạng thái"},
    {Word::kNetworkColumnInDegree, "network_column_in_degree", "In-degree", "ដឺក្រេចូល", "Bậc vào"},
    {Word::kNetworkColumnOutDegree, "network_column_out_degree", "Out-degree", "ដឺក្រេចេញ", "Bậc ra"},
    {Word::kNetworkColumnBetweenness, "network_column_betweenness", "Betweenness",
     "ភាពជាកណ្ដាល (betweenness)", "Độ trung gian (betweenness)"},
    {Word::kThemeNone, "theme_none", "No theme", "គ្មានប្រធានបទ", "Không có chủ đề"},
    {Word::kAuditKindInconsistentCell, "audit_kind_inconsistent_cell", "inconsistent cell",
     "ក្រឡាមិនស៊ីសង្វាក់", "ô không nhất quán"},
    {Word::kAuditKindTransposed, "audit_kind_transposed", "transposed cells",
     "ក្រឡាដែលដាក់ច្រឡំកន្លែងគ្នា", "các ô bị đổi chỗ"},
    {Word::kAuditKindOtherBase, "audit_kind_other_base", "fits another cell's base",
     "ត្រូវនឹងមូលដ្ឋានរបស់ក្រឡាផ្សេង", "khớp với mẫu số của ô khác"},
    {Word::kAuditKindColumnBase, "audit_kind_column_base", "column computed on another base",
     "ជួរឈរត្រូវបានគណនាលើមូលដ្ឋានផ្សេង", "cột được tính trên mẫu số khác"},
    {Word::kAuditKindSumOver100, "audit_kind_sum_over_100", "single-choice shares over 100",
     "ភាគរយនៃជម្រើសតែមួយលើសពី 100", "tỷ lệ của câu một lựa chọn vượt quá 100"},
    {Word::kAuditKindImpossibleMean, "audit_kind_impossible_mean", "impossible mean",
     "មធ្យមភាគដែលមិនអាចកើតមាន", "giá trị trung bình không thể có"},
    {Word::kAuditCellName, "audit_cell_name", "Table {} {}", "តារាង {} {}", "Bảng {} {}"},
    {Word::kAuditImpossibleMean, "audit_impossible_mean",
     "{}: mean {} cannot come from {} integer values (nearest total {} gives {}){}",
     "{}៖ មធ្យមភាគ {} មិនអាចមកពីតម្លៃចំនួនគត់ {} បានទេ (សរុបជិតបំផុត {} ផ្ដល់ {}){}",
     "{}: trung bình {} không thể có từ {} giá trị nguyên (tổng gần nhất {} cho {}){}"},
    {Word::kAuditInconsistentCell, "audit_inconsistent_cell",
     "{}: {}% is not k/{} for any count k ({}){}", "{}៖ {}% មិនមែនជា k/{} សម្រាប់ចំនួន k ណាមួយទេ ({}){}",
     "{}: {}% không bằng k/{} với bất kỳ số đếm k nào ({}){}"},
    {Word::kAuditFitsNoBase, "audit_fits_no_base", "; it fits no base from {} to {}",
     "; វាមិនត្រូវនឹងមូលដ្ឋានណាមួយពី {} ដល់ {} ទេ", "; không khớp với mẫu số nào từ {} đến {}"},
    {Word::kAuditFitsBases, "audit_fits_bases", "; it fits N = {}", "; វាត្រូវនឹង N = {}",
     "; khớp với N = {}"},
    {Word::kAuditTransposed, "audit_transposed",
     "{} = {} fits N = {} but not its own N = {}, and {} = {} fits N = {} but not its own N = {}: "
     "the two values look swapped",
     "{} = {} ត្រូវនឹង N = {} ប៉ុន្តែមិនត្រូវនឹង N = {} របស់ខ្លួនទេ ហើយ {} = {} ត្រូវនឹង N = {} ប៉ុន្តែមិនត្រូវនឹង N = {} "
     "របស់ខ្លួនទេ៖ តម្លៃទាំងពីរហាក់ដូចជាត្រូវបានដាក់ច្រឡំកន្លែងគ្នា",
     "{} = {} khớp với N = {} nhưng không khớp với N = {} của chính nó, và {} = {} khớp với N = {} "
     "nhưng không khớp với N = {} của chính nó: hai giá trị có vẻ bị đổi chỗ"},
    {Word::kAuditOtherBase, "audit_other_base",
     "{} = {} does not fit its own N = {} but fits N = {}, the base of {}: possibly computed on, "
     "or copied from, the neighbouring column",
     "{} = {} មិនត្រូវនឹង N = {} របស់ខ្លួនទេ ប៉ុន្តែត្រូវនឹង N = {} ដែលជាមូលដ្ឋានរបស់ {}៖ ប្រហែលជាត្រូវបានគណនាលើ "
     "ឬចម្លងពីជួរឈរជាប់គ្នា",
     "{} = {} không khớp với N = {} của chính nó nhưng khớp với N = {}, mẫu số của {}: có thể được "
     "tính trên, hoặc chép từ, cột bên cạnh"},
    {Word::kAuditColumnBase, "audit_column_base",
     "Table {} {}: {} of its {} printed percentages do not fit N = {}, but all {} fit N = {}: the "
     "column looks computed on another base",
     "តារាង {} {}៖ ភាគរយដែលបានបោះពុម្ព {} ក្នុងចំណោម {} មិនត្រូវនឹង N = {} ទេ ប៉ុន្តែទាំង {} ត្រូវនឹង N = {}៖ "
     "ជួរឈរនេះហាក់ដូចជាត្រូវបានគណនាលើមូលដ្ឋានផ្សេង",
     "Bảng {} {}: {} trong {} tỷ lệ phần trăm đã in không khớp với N = {}, nhưng cả {} đều khớp "
     "với N = {}: cột có vẻ được tính trên mẫu số khác"},
    {Word::kAuditSumOver100, "audit_sum_over_100",
     "Table {} {} {} is single-choice, but its {} shares add to {}",
     "តារាង {} {} {} ជាជម្រើសតែមួយ ប៉ុន្តែភាគរយ {} របស់វាបូកបាន {}",
     "Bảng {} {} {} là câu một lựa chọn, nhưng {} tỷ lệ của nó cộng lại bằng {}"},
    {Word::kAuditSumRounding, "audit_sum_rounding",
     "; even lowered by their rounding tolerance ({} in all) they add to at least {}, more than "
     "100",
     "; ទោះបីបន្ថយតាមកម្រិតអនុគ្រោះនៃការបង្គត់ ({} សរុប) ក៏វានៅតែបូកបានយ៉ាងហោចណាស់ {} លើសពី 100",
     "; kể cả khi trừ đi sai số làm tròn ({} tổng cộng) chúng vẫn cộng lại ít nhất bằng {}, nhiều "
     "hơn 100"},
    {Word::kAuditSumFewest, "audit_sum_fewest",
     "; the fewest units that print these shares add to {} of N = {}",
     "; ចំនួនឯកតាតិចបំផុតដែលផ្ដល់ភាគរយទាំងនេះបូកបាន {} នៃ N = {}",
     "; số đơn vị ít nhất cho ra các tỷ lệ này cộng lại bằng {} trên N = {}"},
    {Word::kDisposition1_1, "disposition_1_1", "Complete interview", "បទសម្ភាសន៍ពេញលេញ",
     "Phỏng vấn hoàn tất"},
    {Word::kDisposition1_2, "disposition_1_2", "Partial interview", "បទសម្ភាសន៍មួយផ្នែក",
     "Phỏng vấn một phần"},
    {Word::kDisposition2_10, "disposition_2_10", "Refusal and break-off",
     "ការបដិសេធ និងការបញ្ឈប់ពាក់កណ្ដាលទី", "Từ chối và bỏ dở"},
    {Word::kDisposition2_11, "disposition_2_11", "Refusal", "ការបដិសេធ", "Từ chối"},
    {Word::kDisposition2_111, "disposition_2_111", "Household-level / organization-level refusal",
     "ការបដិសេធកម្រិតគ្រួសារ / កម្រិតអង្គការ", "Từ chối ở cấp hộ / cấp tổ chức"},
    {Word::kDisposition2_112, "disposition_2_112", "Known-respondent refusal",
     "ការបដិសេធដោយអ្នកឆ្លើយដែលបានកំណត់", "Người trả lời đã xác định từ chối"},
    {Word::kDisposition2_12, "disposition_2_12",
     "Break-off / partial with insufficient information",
     "បញ្ឈប់ពាក់កណ្ដាលទី / មួយផ្នែកដែលមានព័ត៌មានមិនគ្រប់គ្រាន់", "Bỏ dở / một phần nhưng không đủ thông tin"},
    {Word::kDisposition2_20, "disposition_2_20", "Non-contact", "មិនអាចទាក់ទងបាន",
     "Không liên lạc được"},
    {Word::kDisposition2_23, "disposition_2_23",
     "Unable to enter building / reach housing unit or office",
     "មិនអាចចូលអគារ / ទៅដល់លំនៅដ្ឋាន ឬការិយាល័យបាន",
     "Không vào được tòa nhà / không đến được hộ hoặc văn phòng"},
    {Word::kDisposition2_24, "disposition_2_24", "No one at residence / office",
     "គ្មាននរណានៅផ្ទះ / ការិយាល័យ", "Không có ai ở nhà / văn phòng"},
    {Word::kDisposition2_25, "disposition_2_25", "Respondent away / unavailable",
     "អ្នកឆ្លើយមិននៅ / មិនទំនេរ", "Người trả lời đi vắng / không thể tham gia"},
    {Word::kDisposition2_30, "disposition_2_30", "Other (eligible, non-interview)",
     "ផ្សេងទៀត (មានលក្ខណៈសម្បត្តិ មិនបានសម្ភាសន៍)", "Khác (đủ điều kiện, không phỏng vấn)"},
    {Word::kDisposition2_31, "disposition_2_31", "Dead", "បានស្លាប់", "Đã qua đời"},
    {Word::kDisposition2_32, "disposition_2_32", "Physically or mentally unable / incompetent",
     "មិនអាចឆ្លើយបានដោយសាររាងកាយ ឬផ្លូវចិត្ត", "Không đủ khả năng về thể chất hoặc tinh thần"},
    {Word::kDisposition2_33, "disposition_2_33", "Language", "ភាសា", "Ngôn ngữ"},
    {Word::kDisposition2_331, "disposition_2_331",
     "Household-level / organization-level language problem", "បញ្ហាភាសាកម្រិតគ្រួសារ / កម្រិតអង្គការ",
     "Vấn đề ngôn ngữ ở cấp hộ / cấp tổ chức"},
    {Word::kDisposition2_332, "disposition_2_332", "Respondent language problem",
     "បញ្ហាភាសារបស់អ្នកឆ្លើយ", "Vấn đề ngôn ngữ của người trả lời"},
    {Word::kDisposition2_333, "disposition_2_333", "No interviewer available for needed language",
     "គ្មានអ្នកសម្ភាសន៍សម្រាប់ភាសាដែលត្រូវការ", "Không có phỏng vấn viên cho ngôn ngữ cần thiết"},
    {Word::kDisposition2_36, "disposition_2_36", "Miscellaneous", "ផ្សេងៗ", "Lý do khác"},
    {Word::kDisposition3_10, "disposition_3_10",
     "Unknown if housing unit / if the organization exists or operates",
     "មិនដឹងថាជាលំនៅដ្ឋាន / អង្គការនៅមាន ឬដំណើរការឬទេ",
     "Không rõ có phải hộ ở / tổ chức có tồn tại hoặc hoạt động không"},
    {Word::kDisposition3_11, "disposition_3_11", "Not attempted or worked",
     "មិនទាន់បានព្យាយាម ឬធ្វើការ", "Chưa tiếp cận hoặc chưa thực hiện"},
    {Word::kDisposition3_17, "disposition_3_17", "Unable to reach / unsafe area",
     "មិនអាចទៅដល់ / តំបន់គ្មានសុវត្ថិភាព", "Không đến được / khu vực không an toàn"},
    {Word::kDisposition3_18, "disposition_3_18", "Unable to locate address", "រកអាសយដ្ឋានមិនឃើញ",
     "Không tìm được địa chỉ"},
    {Word::kDisposition3_20, "disposition_3_20",
     "Housing unit or organization, unknown if eligible respondent",
     "លំនៅដ្ឋាន ឬអង្គការ មិនដឹងថាមានអ្នកឆ្លើយដែលមានលក្ខណៈសម្បត្តិឬទេ",
     "Hộ hoặc tổ chức, không rõ có người trả lời đủ điều kiện"},
    {Word::kDisposition3_21, "disposition_3_21", "No screener completed",
     "មិនបានបំពេញការត្រួតពិនិត្យលក្ខណៈសម្បត្តិ", "Chưa hoàn tất phần sàng lọc"},
    {Word::kDisposition3_90, "disposition_3_90", "Other (unknown eligibility)",
     "ផ្សេងទៀត (មិនដឹងលក្ខណៈសម្បត្តិ)", "Khác (không rõ điều kiện)"},
    {Word::kDisposition4_10, "disposition_4_10", "Out of sample", "ក្រៅគំរូ", "Ngoài mẫu"},
    {Word::kDisposition4_50, "disposition_4_50",
     "Not a housing unit / not an eligible organization",
     "មិនមែនជាលំនៅដ្ឋាន / មិនមែនជាអង្គការដែលមានលក្ខណៈសម្បត្តិ",
     "Không phải hộ ở / không phải tổ chức đủ điều kiện"},
    {Word::kDisposition4_51, "disposition_4_51", "Business, government office, other organization",
     "អាជីវកម្ម ការិយាល័យរដ្ឋាភិបាល អង្គការផ្សេងទៀត", "Doanh nghiệp, cơ quan nhà nước, tổ chức khác"},
    {Word::kDisposition4_52, "disposition_4_52", "Institution", "ស្ថាប័ន", "Cơ sở tập trung"},
    {Word::kDisposition4_53, "disposition_4_53", "Group quarters", "លំនៅដ្ឋានរួម", "Nơi ở tập thể"},
    {Word::kDisposition4_60, "disposition_4_60", "Vacant housing unit / organization closed",
     "លំនៅដ្ឋានទំនេរ / អង្គការបានបិទ", "Nhà bỏ trống / tổ chức đã đóng cửa"},
    {Word::kDisposition4_61, "disposition_4_61", "Regular, vacant residences",
     "លំនៅដ្ឋានធម្មតាដែលទំនេរ", "Nhà ở thường xuyên bỏ trống"},
    {Word::kDisposition4_62, "disposition_4_62", "Seasonal / vacation / temporary residence",
     "លំនៅដ្ឋានតាមរដូវ / វិស្សមកាល / បណ្ដោះអាសន្ន", "Nơi ở theo mùa / nghỉ dưỡng / tạm thời"},
    {Word::kDisposition4_63, "disposition_4_63", "Other vacant", "ទំនេរផ្សេងទៀត",
     "Bỏ trống vì lý do khác"},
    {Word::kDisposition4_70, "disposition_4_70", "No eligible respondent",
     "គ្មានអ្នកឆ្លើយដែលមានលក្ខណៈសម្បត្តិ", "Không có người trả lời đủ điều kiện"},
    {Word::kDisposition4_80, "disposition_4_80", "Quota filled", "កូតាពេញហើយ", "Đã đủ chỉ tiêu"},
    {Word::kDisposition4_90, "disposition_4_90", "Other (not eligible)", "ផ្សេងទៀត (គ្មានលក្ខណៈសម្បត្តិ)",
     "Khác (không đủ điều kiện)"},
    {Word::kUnitOrganisation, "unit_organisation", "organisation", "អង្គការ", "tổ chức"},
    {Word::kUnitOrganisations, "unit_organisations", "organisations", "អង្គការ", "tổ chức"},
};

// The table is in the order of Word, so that a word is its index.
constexpr bool InOrder() {
  for (size_t i = 0; i < std::size(kEntries); ++i) {
    if (static_cast<size_t>(kEntries[i].word) != i) return false;
  }
  return std::size(kEntries) == static_cast<size_t>(Word::kUnitOrganisations) + 1;
}
static_assert(InOrder(), "kEntries must list every Word once, in the order of the enum");

constexpr LanguageNames kLanguages[] = {
    {"en", "English", "English"},
    {"km", "ខ្មែរ", "Khmer"},
    {"vi", "Tiếng Việt", "Vietnamese"},
};

// ASCII digits as Khmer digits (U+17E0..U+17E9).
std::string KhmerDigits(std::string_view in) {
  std::string out;
  for (char c : in) {
    if (c >= '0' && c <= '9') {
      out += "\xE1\x9F";
      out += static_cast<char>(0xA0 + (c - '0'));
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::span<const Entry> Catalogue() { return kEntries; }

std::string_view Pattern(Word word, std::string_view language) {
  const Entry& e = kEntries[static_cast<size_t>(word)];
  return language == "km" ? e.km : language == "vi" ? e.vi : e.en;
}

std::string Text(Word word, std::string_view language,
                 std::initializer_list<std::string_view> args) {
  std::string_view pattern = Pattern(word, language);
  std::string out;
  out.reserve(pattern.size());
  auto next = args.begin();
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{' && i + 1 < pattern.size() && pattern[i + 1] == '}') {
      if (next != args.end()) out += *next++;
      ++i;
    } else {
      out += pattern[i];
    }
  }
  return out;
}

std::string_view Key(Word word) { return kEntries[static_cast<size_t>(word)].key; }

std::optional<Word> FromKey(std::string_view key) {
  for (const Entry& e : kEntries) {
    if (e.key == key) return e.word;
  }
  return std::nullopt;
}

std::span<const LanguageNames> Languages() { return kLanguages; }

std::string_view CatalogueLanguage(std::string_view code_or_name) {
  auto same = [](std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
      char y = b[i] >= 'A' && b[i] <= 'Z' ? static_cast<char>(b[i] - 'A' + 'a') : b[i];
      if (x != y) return false;
    }
    return true;
  };
  for (const LanguageNames& l : kLanguages) {
    if (same(code_or_name, l.code) || same(code_or_name, l.own) || same(code_or_name, l.english)) {
      return l.code;
    }
  }
  return "en";
}

std::string DateInWords(std::string_view iso, std::string_view language) {
  std::optional<int64_t> days = date::ParseIsoDate(iso);
  if (!days) return std::string(iso);
  date::Civil c = date::CivilFromDays(*days);
  std::string day = std::to_string(c.day), year = std::to_string(c.year);
  if (language == "km") {
    day = KhmerDigits(day);
    year = KhmerDigits(year);
  }
  Word month = static_cast<Word>(static_cast<size_t>(Word::kMonth1) + c.month - 1);
  return Text(Word::kDatePattern, language, {day, Pattern(month, language), year});
}

}  // namespace ngosurvey::words
