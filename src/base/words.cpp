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
};

// The table is in the order of Word, so that a word is its index.
constexpr bool InOrder() {
  for (size_t i = 0; i < std::size(kEntries); ++i) {
    if (static_cast<size_t>(kEntries[i].word) != i) return false;
  }
  return std::size(kEntries) == static_cast<size_t>(Word::kMonth12) + 1;
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
