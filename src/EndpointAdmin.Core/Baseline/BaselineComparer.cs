using System;
using System.Collections.Generic;
using System.Linq;

namespace EndpointAdmin.Baseline
{
    /// <summary>
    /// Turns what a provider found into baseline rows, the same way for every product: the expected
    /// value of each setting is the last declaration's that selects the target, and compares with
    /// the actual value in the same normalized form, so an unchanged system never shows drift.
    /// </summary>
    internal static class BaselineComparer
    {
        public static List<BaselineResult> Compare(ManagerBaseline baseline, BaselineTargetState state)
        {
            var rows = new List<BaselineResult>();
            foreach (var expected in Expected(state))
            {
                var row = new BaselineResult
                {
                    Manager = baseline.Uri,
                    Product = baseline.Product,
                    TargetType = state.Type,
                    TargetId = state.Id,
                    Target = state.Display,
                    Setting = expected.Name,
                    Expected = expected.Value,
                    Key = expected.Key,
                };
                if (expected.Definition.ConsolePath != null)
                {
                    row.State = BaselineState.NotSupported;
                    row.Source = "no API";
                    row.Message = baseline.Product + " offers no API for " + expected.Name + ". Set it in the console: " + expected.Definition.ConsolePath + " = " + expected.Value + ".";
                }
                else
                {
                    state.Actual.TryGetValue(expected.Name, out var actual);
                    row.Actual = actual?.Value;
                    row.Source = actual?.Source;
                    row.InDesiredState = string.Equals(expected.Value, actual?.Value, StringComparison.Ordinal);
                    row.State = row.InDesiredState ? BaselineState.InDesiredState : BaselineState.Drifted;
                }

                rows.Add(row);
            }

            return rows;
        }

        /// <summary>The settings this target should have: per setting, the last declaration that names it.</summary>
        public static List<ExpectedSetting> Expected(BaselineTargetState state)
        {
            var byName = new Dictionary<string, ExpectedSetting>(StringComparer.OrdinalIgnoreCase);
            var order = new List<string>();
            foreach (var declaration in state.Declarations)
            {
                foreach (var setting in declaration.Settings)
                {
                    if (!byName.ContainsKey(setting.Name))
                    {
                        order.Add(setting.Name);
                    }

                    byName[setting.Name] = setting;
                }
            }

            return order.Select(n => byName[n]).ToList();
        }

        /// <summary>The writes a Set makes: per target, the drifted settings that have an API.</summary>
        public static BaselineWrite Plan(BaselineTargetState state, IEnumerable<BaselineResult> rows)
        {
            var drifted = new HashSet<string>(rows.Where(r => r.State == BaselineState.Drifted).Select(r => r.Setting), StringComparer.OrdinalIgnoreCase);
            var changes = Expected(state).Where(e => drifted.Contains(e.Name)).ToList();
            return changes.Count == 0 ? null : new BaselineWrite(state, changes);
        }
    }
}
