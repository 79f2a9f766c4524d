namespace SelfLearning.Cases;

/// <summary>Which part of a dataset a case belongs to.</summary>
internal enum DatasetSplit
{
    /// <summary>Used to fit models.</summary>
    Train = 0,

    /// <summary>Used to choose between models and to calibrate; never to fit them.</summary>
    Validation = 1,

    /// <summary>Held out for a final, untouched estimate.</summary>
    Test = 2,
}
