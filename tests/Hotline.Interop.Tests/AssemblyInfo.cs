using Hotline.Interop.Tests.Harness;

[assembly: AssemblyFixture(typeof(ArtefactRoot))]
