namespace Hotline.Switch.Accounts;

public interface IExtensionRepository
{
    Extension? Find(string number);
    IReadOnlyList<Extension> List();
    void Save(Extension extension);
    bool Delete(string number);
}
