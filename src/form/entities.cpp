// ODK entities: save_to cells checked against the entities sheet, and each entity
// placed in the container (survey, group or repeat) whose meta holds its
// meta/entity element, by the rules of pyxform 4.5.0 (its entities_parsing.py; the
// cases and pyxform's verdicts are in tests/forms/parity/, docs/pyxform-parity.md).
//
// Placement, as pyxform does it: every save_to of a list and every question its
// entities row names with ${} is a reference, at the containers its row sits in.
// A reference's scope is its innermost repeat (or the survey). All of a list's
// references must lie on one line of nested scopes, and its save_to cells in the
// deepest one; the entity asks for the deepest save_to's container (the common
// ancestor of several), else the deepest referenced container, and is given the
// lowest free container on the way up to its scope, one entity per container.
// pyxform's quirks are kept where they change a verdict or the XForm: the common
// path of several save_to containers, the first save_to container alone deciding
// a conflict, and no meta/entity at all when the request lies above its scope.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "base/text.h"
#include "form/diagnostics.h"
#include "form/entities_internal.h"
#include "form/pulldata.h"

namespace ngosurvey::form {
namespace {

constexpr int kRoot = EntityDeclaration::kRootContainer;

// The containers a row sits in: kRoot, then the indexes of the enclosing groups,
// repeats and loops in Form::questions, outermost first.
using Path = std::vector<int>;

struct Reference {
  Path path;
  int row = 0;                // survey row of the referring question
  std::string_view property;  // a save_to's property; "" for a ${} reference
  std::string_view question;  // the question a ${} names; "" for a save_to
};

// What one entity asks of the placement (pyxform's AllocationRequest).
struct Request {
  size_t entity = 0;                // index in Form::entities
  Path scope;                       // its deepest scope
  Path requested;                   // the container it would like
  std::vector<Path> save_to_paths;  // distinct containers of its save_to cells, in row order
};

class Placer {
 public:
  Placer(Form* form, Diagnostics* diags) : form_(*form), diags_(diags) {}
  void Run();

 private:
  const Question& Q(int index) const { return form_.questions[static_cast<size_t>(index)]; }
  bool IsScope(int node) const { return node == kRoot || Q(node).is_repeat(); }
  // pyxform compares containers by name and type.
  bool SameNode(int a, int b) const {
    return a == b || (a != kRoot && b != kRoot && Q(a).name == Q(b).name && Q(a).type == Q(b).type);
  }
  bool SamePath(const Path& a, const Path& b) const {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (!SameNode(a[i], b[i])) return false;
    }
    return true;
  }
  static Path Prefix(const Path& path, size_t length) {
    return Path(path.begin(), path.begin() + static_cast<std::ptrdiff_t>(length));
  }
  Path PathOf(const Question& q) const;
  Path ScopeOf(const Path& path) const;
  int RepeatDepth(const Path& path) const;       // repeats on the path
  int GroupsBelowScope(const Path& path) const;  // containers below its scope

  void ReadSaveTo(Question& q, const Path& path);
  void CollectReferences();
  bool MakeRequest(size_t entity, Request* request);
  void Allocate(std::vector<Request> requests);
  void CheckInstances();
  std::string PathText(const Path& path) const;

  Form& form_;
  Diagnostics* diags_;
  std::map<std::string, size_t, std::less<>> entity_of_list_;
  // The lists whose entities rows name a question, by the question's name.
  std::map<std::string, std::vector<size_t>, std::less<>> lists_naming_;
  std::vector<std::vector<Reference>> references_;  // per entity
  std::vector<size_t> first_referenced_;            // entities in order of first reference
  bool failed_ = false;
};

Path Placer::PathOf(const Question& q) const {
  Path path;
  for (int index = q.parent; index >= 0; index = Q(index).parent) path.push_back(index);
  path.push_back(kRoot);
  std::reverse(path.begin(), path.end());
  return path;
}

Path Placer::ScopeOf(const Path& path) const {
  for (size_t i = path.size(); i > 0; --i) {
    if (IsScope(path[i - 1])) return Prefix(path, i);
  }
  return {kRoot};
}

int Placer::RepeatDepth(const Path& path) const {
  return static_cast<int>(std::count_if(
      path.begin(), path.end(), [this](int node) { return node != kRoot && Q(node).is_repeat(); }));
}

int Placer::GroupsBelowScope(const Path& path) const {
  int count = 0;
  for (size_t i = path.size(); i > 0 && !IsScope(path[i - 1]); --i) ++count;
  return count;
}

std::string Placer::PathText(const Path& path) const {
  std::string text;
  for (int node : path) text += "/" + (node == kRoot ? std::string("survey") : Q(node).name);
  return text;
}

// The "${name}" references of an entities cell.
std::vector<std::string> ReferencedNames(std::string_view text) {
  std::vector<std::string> names;
  size_t pos = 0;
  while ((pos = text.find("${", pos)) != std::string_view::npos) {
    size_t close = text.find('}', pos + 2);
    if (close == std::string_view::npos) break;
    names.emplace_back(text::Trim(text.substr(pos + 2, close - pos - 2)));
    pos = close + 1;
  }
  return names;
}

// One save_to cell: its list and property, checked as pyxform checks them.
void Placer::ReadSaveTo(Question& q, const Path& path) {
  const std::string cell = q.save_to;
  Location where = form_.SurveyCell(q.row, "save_to");
  auto refuse = [&](const char* code, const std::string& message) {
    diags_->AddError(code, message, where);
    failed_ = true;
  };
  if (form_.entities.empty()) {
    refuse(code::kSaveToWithoutEntities,
           fmt::format("save_to \"{}\" saves to an entity, but the form declares none: add an "
                       "entities sheet with a row for the entity list",
                       cell));
    return;
  }
  std::string_view property = cell;
  std::string list;
  size_t hash = cell.find('#');
  if (hash != std::string::npos) {
    if (cell.find('#', hash + 1) != std::string::npos) {
      refuse(code::kBadSaveTo,
             fmt::format("save_to \"{}\" has more than one '#' (write LIST#PROPERTY)", cell));
      return;
    }
    list = cell.substr(0, hash);
    property = std::string_view(cell).substr(hash + 1);
  } else if (form_.entities.size() > 1) {
    refuse(code::kSaveToWithoutList,
           fmt::format("save_to \"{}\" does not say which entity list it saves to, and the form "
                       "declares {}: write LIST#{}",
                       cell, form_.entities.size(), cell));
    return;
  } else {
    list = form_.entities[0].list_name;
  }
  auto entity = entity_of_list_.find(list);
  if (entity == entity_of_list_.end()) {
    refuse(code::kSaveToUnknownList,
           fmt::format("save_to \"{}\" names the entity list \"{}\", which the entities sheet "
                       "does not declare",
                       cell, list));
    return;
  }
  std::string lower = text::AsciiLower(property);
  std::string problem;
  if (property.empty()) {
    problem = "has no property name";
  } else if (q.is_container()) {
    refuse(code::kSaveToOnContainer,
           fmt::format("save_to \"{}\" is on the begin row of {} \"{}\": groups and repeats "
                       "cannot be saved as entity properties",
                       cell, q.is_repeat() ? "repeat" : "group", q.name));
    return;
  } else if (lower == "name" || lower == "label") {
    problem = "is reserved by ODK Central (\"name\" and \"label\" in any case)";
  } else if (property.starts_with("__")) {
    problem = "begins with two underscores, which ODK Central reserves";
  } else if (!IsValidName(property)) {
    problem = "is not an XML name (a letter or underscore, then letters, digits, '_', '-', '.')";
  }
  if (!problem.empty()) {
    refuse(code::kBadSaveTo, fmt::format("save_to property \"{}\" {}", property, problem));
    return;
  }
  for (const Reference& other : references_[entity->second]) {
    if (other.property == property) {
      refuse(code::kDuplicateSaveTo,
             fmt::format("save_to property \"{}\" of list \"{}\" is already saved by row {}",
                         property, list, other.row));
      return;
    }
  }
  q.save_to_list = list;
  q.save_to = std::string(property);
  if (references_[entity->second].empty()) first_referenced_.push_back(entity->second);
  references_[entity->second].push_back(Reference{path, q.row, q.save_to, {}});
}

void Placer::CollectReferences() {
  for (Question& q : form_.questions) {
    Path path = PathOf(q);
    if (!q.save_to.empty()) ReadSaveTo(q, path);
    auto named = lists_naming_.find(q.name);
    if (named == lists_naming_.end()) continue;
    for (size_t entity : named->second) {
      if (references_[entity].empty()) first_referenced_.push_back(entity);
      references_[entity].push_back(Reference{path, q.row, {}, q.name});
    }
  }
}

// pyxform's get_allocation_request in its order, each quirk in place.
bool Placer::MakeRequest(size_t entity, Request* request) {
  const std::vector<Reference>& refs = references_[entity];
  const Reference* deepest_scope_ref = nullptr;
  Path deepest_scope;
  int deepest_scope_repeats = 0;
  const Reference* deepest_container = nullptr;
  int deepest_container_below = 0;
  const Reference* deepest_save_to = nullptr;
  int deepest_save_to_below = 0;
  std::vector<Path> save_to_paths;
  std::vector<Path> scopes;
  for (const Reference& ref : refs) {
    const bool save_to = !ref.property.empty();
    const int below = GroupsBelowScope(ref.path);
    Path scope = ScopeOf(ref.path);
    const int repeats = RepeatDepth(scope);
    if (deepest_scope_ref == nullptr || repeats > deepest_scope_repeats) {
      // A deeper scope: its first reference is the deepest container (and save_to)
      // so far; a deeper save_to found before in a shallower scope stays.
      deepest_container = &ref;
      deepest_container_below = below;
      if (save_to) {
        deepest_save_to = &ref;
        deepest_save_to_below = below;
      }
      deepest_scope = scope;
      deepest_scope_repeats = repeats;
      deepest_scope_ref = &ref;
    }
    scopes.push_back(scope);
    if (SamePath(scope, deepest_scope) && below > deepest_container_below) {
      deepest_container = &ref;
      deepest_container_below = below;
    }
    if (save_to) {
      if (std::none_of(save_to_paths.begin(), save_to_paths.end(),
                       [&](const Path& p) { return SamePath(p, ref.path); })) {
        save_to_paths.push_back(ref.path);
      }
      if (deepest_save_to == nullptr ||
          (SamePath(scope, deepest_scope) && below > deepest_save_to_below)) {
        deepest_save_to = &ref;
        deepest_save_to_below = below;
      }
    }
  }
  Path requested = deepest_save_to != nullptr ? deepest_save_to->path : deepest_container->path;
  if (!save_to_paths.empty()) {
    size_t shortest = save_to_paths[0].size();
    for (const Path& p : save_to_paths) shortest = std::min(shortest, p.size());
    const Path& first = save_to_paths[0];
    Path common = Prefix(first, shortest);
    if (save_to_paths.size() > 1) {
      // pyxform keeps the prefix before the last place where the paths differ.
      for (size_t i = 0; i < shortest; ++i) {
        for (const Path& p : save_to_paths) {
          if (!SameNode(p[i], first[i])) {
            common = Prefix(first, i);
            break;
          }
        }
      }
      // The deeper of the deepest save_to's scope and the common path.
      Path scope = ScopeOf(deepest_save_to->path);
      auto key = [&](const Path& p) { return std::pair(RepeatDepth(p), GroupsBelowScope(p)); };
      requested = key(common) > key(scope) ? common : scope;
    } else {
      requested = common;
    }
  }
  const Path requested_scope = ScopeOf(requested);
  const EntityDeclaration& declaration = form_.entities[entity];
  for (size_t i = 0; i < refs.size(); ++i) {
    const Reference& ref = refs[i];
    const Path& scope = scopes[i];
    bool nested = scope.size() <= deepest_scope.size() &&
                  SamePath(Prefix(deepest_scope, scope.size()), scope);
    bool save_to = !ref.property.empty();
    if (nested && !(save_to && !SamePath(requested_scope, scope))) continue;
    std::string other = PathText(nested ? requested : deepest_scope_ref->path);
    if (save_to) {
      diags_->AddError(code::kEntityScopeConflict,
                       fmt::format("save_to of list \"{}\" in {} cannot share an entity with "
                                   "its other references in {}",
                                   declaration.list_name, PathText(ref.path), other),
                       form_.SurveyCell(ref.row, "save_to"));
    } else {
      diags_->AddError(
          code::kEntityScopeConflict,
          fmt::format("list \"{}\" refers to ${{{}}} (survey row {}) in {}, which "
                      "cannot share an entity with its other references in {}",
                      declaration.list_name, ref.question, ref.row, PathText(ref.path), other),
          form_.EntitiesCell(declaration.row, "list_name"));
    }
    return false;
  }
  request->entity = entity;
  request->scope = std::move(deepest_scope);
  request->requested = std::move(requested);
  request->save_to_paths = std::move(save_to_paths);
  return true;
}

// pyxform's allocate_entities_to_containers: per scope, entities in row order, each
// in the lowest free container from the one it asks for up to its scope.
void Placer::Allocate(std::vector<Request> requests) {
  // Entities nobody refers to ask for the survey.
  for (size_t entity = 0; entity < form_.entities.size(); ++entity) {
    if (references_[entity].empty()) requests.push_back(Request{entity, {kRoot}, {kRoot}, {}});
  }
  for (EntityDeclaration& declaration : form_.entities) {
    declaration.container = EntityDeclaration::kNoContainer;
  }
  std::vector<Path> scopes;  // in order of first request
  for (const Request& request : requests) {
    if (std::none_of(scopes.begin(), scopes.end(),
                     [&](const Path& p) { return SamePath(p, request.scope); })) {
      scopes.push_back(request.scope);
    }
  }
  // One entity asking for the survey's scope goes in the survey's meta, wherever its
  // references are (pyxform: compatible with the spec version 2024.1.0).
  if (scopes.size() == 1 && scopes[0].size() == 1 && requests.size() == 1) {
    form_.entities[requests[0].entity].container = kRoot;
    return;
  }
  std::map<Path, size_t> allocated, reserved;
  auto holder = [&](const Path& path) -> const size_t* {
    if (auto it = allocated.find(path); it != allocated.end()) return &it->second;
    if (auto it = reserved.find(path); it != reserved.end()) return &it->second;
    return nullptr;
  };
  for (const Path& scope : scopes) {
    std::vector<const Request*> in_scope;
    for (const Request& request : requests) {
      if (SamePath(request.scope, scope)) in_scope.push_back(&request);
    }
    // Rows are distinct: std::sort is stable enough (and allocates nothing).
    std::sort(in_scope.begin(), in_scope.end(), [&](const Request* a, const Request* b) {
      return form_.entities[a->entity].row < form_.entities[b->entity].row;
    });
    for (const Request* request : in_scope) {
      const size_t* conflict = nullptr;
      for (size_t depth = request->requested.size(); depth >= scope.size() && depth > 0; --depth) {
        Path current = Prefix(request->requested, depth);
        conflict = holder(current);
        if (conflict == nullptr) {
          allocated[current] = request->entity;
          reserved[current] = request->entity;
          // The containers between each save_to and this one are the entity's too.
          for (const Path& lineage : request->save_to_paths) {
            for (size_t i = lineage.size(); i >= current.size() && i > 0; --i) {
              reserved[Prefix(lineage, i)] = request->entity;
            }
          }
          form_.entities[request->entity].container = current.back();
          break;
        }
        // A container of its first save_to already reserved: no way up.
        if (!request->save_to_paths.empty()) {
          auto first = reserved.find(request->save_to_paths[0]);
          if (first != reserved.end()) {
            conflict = &first->second;
            break;
          }
        }
      }
      if (conflict != nullptr) {
        const EntityDeclaration& declaration = form_.entities[request->entity];
        diags_->AddError(
            code::kEntityWithoutContainer,
            fmt::format("list \"{}\" has no container left for its meta/entity in {}: each "
                        "survey, group or repeat holds one entity, and row {}'s list \"{}\" "
                        "has it",
                        declaration.list_name, PathText(scope), form_.entities[*conflict].row,
                        form_.entities[*conflict].list_name),
            form_.EntitiesCell(declaration.row, "list_name"));
      }
    }
  }
}

// ODK Validate evaluates an update's instance('LIST') paths: the list must be one of
// the XForm's secondary instances (a choice list, a select_*_from_file's file, an
// external question of that name or a pulldata() file: form/pulldata.h).
void Placer::CheckInstances() {
  std::set<std::string, std::less<>> instances;
  for (const ChoiceList& list : form_.choice_lists) instances.insert(list.name);
  for (const Question& q : form_.questions) {
    for (std::string& file : PulldataFiles(q)) instances.insert(std::move(file));
    if (q.type == QuestionType::kSelectOneFromFile ||
        q.type == QuestionType::kSelectMultipleFromFile) {
      instances.insert(q.list_name.substr(0, q.list_name.rfind('.')));
    }
    if (q.type == QuestionType::kCsvExternal || q.type == QuestionType::kXmlExternal) {
      instances.insert(q.name);
    }
  }
  for (const EntityDeclaration& declaration : form_.entities) {
    if (!declaration.updates() || declaration.list_name.empty() ||
        instances.count(declaration.list_name) != 0) {
      continue;
    }
    diags_->AddError(code::kEntityUpdateWithoutList,
                     fmt::format("list \"{}\" is updated (entity_id) but the form has no "
                                 "instance of it: add a select_one_from_file {}.csv, a "
                                 "csv-external named {} or a pulldata('{}', ...) call",
                                 declaration.list_name, declaration.list_name,
                                 declaration.list_name, declaration.list_name),
                     form_.EntitiesCell(declaration.row, "entity_id"));
  }
}

void Placer::Run() {
  references_.resize(form_.entities.size());
  for (size_t i = 0; i < form_.entities.size(); ++i) {
    const EntityDeclaration& declaration = form_.entities[i];
    entity_of_list_.emplace(declaration.list_name, i);
    std::set<std::string> named;
    for (const std::string* cell : {&declaration.entity_id, &declaration.create_if,
                                    &declaration.update_if, &declaration.label}) {
      for (std::string& name : ReferencedNames(*cell)) named.insert(std::move(name));
    }
    for (const std::string& name : named) lists_naming_[name].push_back(i);
  }
  CollectReferences();
  if (form_.entities.empty()) return;
  CheckInstances();
  if (failed_) return;
  std::vector<Request> requests;
  for (size_t entity : first_referenced_) {
    Request request;
    if (!MakeRequest(entity, &request)) return;
    requests.push_back(std::move(request));
  }
  Allocate(std::move(requests));
}

}  // namespace

void PlaceEntities(Form* form, Diagnostics* diags) {
  Placer placer(form, diags);
  placer.Run();
}

}  // namespace ngosurvey::form
