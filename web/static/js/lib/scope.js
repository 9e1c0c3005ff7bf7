/*
 * Where the user writes (三级管理), as geo/scope.py says: a scope of
 * sub-districts, communities and responsible units covers a place when any
 * of them names its street, community or unit; an empty scope covers every
 * place. Pure: the editor uses it to show a place outside the scope as
 * read-only before a save would be refused (the server checks every write).
 */

function names(scope, field) {
  return (scope && Array.isArray(scope[field])) ? scope[field] : [];
}

export function everywhere(scope) {
  return !names(scope, "streets").length && !names(scope, "communities").length && !names(scope, "units").length;
}

export function covers(scope, props) {
  if (everywhere(scope)) return true;
  var p = props || {};
  return names(scope, "streets").indexOf(p.street) >= 0 || names(scope, "communities").indexOf(p.community) >= 0 ||
    names(scope, "units").indexOf(p.unit) >= 0;
}

export function describe(scope) {
  return names(scope, "streets").concat(names(scope, "communities"), names(scope, "units")).join("、");
}
