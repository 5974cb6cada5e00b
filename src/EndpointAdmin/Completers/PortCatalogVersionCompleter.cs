using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace EndpointAdmin.Completers
{
    /// <summary>Completes -Version with the versions the catalog lists for the products already given.</summary>
    internal sealed class PortCatalogVersionCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            return CompleterHelpers.Complete(CompleterHelpers.SelectedProducts(fakeBoundParameters).SelectMany(p => p.Versions.Select(v => v.Label)), wordToComplete);
        }
    }
}
