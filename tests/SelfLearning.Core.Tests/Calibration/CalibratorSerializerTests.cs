using System.Text.Json;
using SelfLearning.Calibration;

namespace SelfLearning.Tests.Calibration;

public sealed class CalibratorSerializerTests
{
    [Fact]
    public void Serialize_Platt_WritesVersionedArtifact()
    {
        var platt = PlattCalibrator.FromParameters(-1.25, 0.5);

        using var document = JsonDocument.Parse(CalibratorSerializer.Serialize(platt));

        JsonElement root = document.RootElement;
        root.GetProperty("format").GetString().Should().Be("selflearning.calibrator");
        root.GetProperty("version").GetInt32().Should().Be(1);
        root.GetProperty("method").GetString().Should().Be("platt");
        root.GetProperty("a").GetDouble().Should().Be(-1.25);
        root.GetProperty("b").GetDouble().Should().Be(0.5);
    }

    [Fact]
    public void Deserialize_ParametersNeedingAllDigits_RestoresThemBitForBit()
    {
        var platt = PlattCalibrator.FromParameters(0.1 + 0.2, -Math.PI / 3.0);

        var restored = (PlattCalibrator)CalibratorSerializer.Deserialize(CalibratorSerializer.Serialize(platt));

        BitConverter.DoubleToInt64Bits(restored.A).Should().Be(BitConverter.DoubleToInt64Bits(platt.A));
        BitConverter.DoubleToInt64Bits(restored.B).Should().Be(BitConverter.DoubleToInt64Bits(platt.B));
    }

    [Fact]
    public void Deserialize_UnknownVersion_ThrowsNamingJsonAndVersion()
    {
        string json = """{"format":"selflearning.calibrator","version":2,"method":"platt","a":1,"b":0,"iterations":1,"converged":true}""";
        var act = () => CalibratorSerializer.Deserialize(json);
        act.Should().Throw<ArgumentException>().Where(e => e.ParamName == "json" && e.Message.Contains("version 2"));
    }

    [Fact]
    public void Deserialize_UnknownMethod_ThrowsNamingJsonAndMethod()
    {
        string json = """{"format":"selflearning.calibrator","version":1,"method":"spline"}""";
        var act = () => CalibratorSerializer.Deserialize(json);
        act.Should().Throw<ArgumentException>().Where(e => e.ParamName == "json" && e.Message.Contains("\"spline\""));
    }

    [Fact]
    public void Deserialize_OtherFormat_ThrowsNamingJson()
    {
        var act = () => CalibratorSerializer.Deserialize("""{"format":"onnx","version":1,"method":"platt"}""");
        act.Should().Throw<ArgumentException>().WithParameterName("json").WithMessage("*onnx*");
    }

    [Fact]
    public void Deserialize_MissingParameter_ThrowsNamingTheField()
    {
        string json = """{"format":"selflearning.calibrator","version":1,"method":"beta","a":1,"c":0,"iterations":1,"converged":true}""";
        var act = () => CalibratorSerializer.Deserialize(json);
        act.Should().Throw<ArgumentException>().WithParameterName("json").WithMessage("*'b'*missing*");
    }

    [Fact]
    public void Deserialize_DecreasingIsotonicValues_IsRefused()
    {
        string json = """{"format":"selflearning.calibrator","version":1,"method":"isotonic","thresholds":[0,1],"values":[0.9,0.1]}""";
        var act = () => CalibratorSerializer.Deserialize(json);
        act.Should().Throw<ArgumentException>().WithParameterName("json").WithMessage("*element 1*");
    }

    [Fact]
    public void Deserialize_NotJson_ThrowsNamingJson()
    {
        var act = () => CalibratorSerializer.Deserialize("{not json");
        act.Should().Throw<ArgumentException>().WithParameterName("json");
    }

    [Fact]
    public void Serialize_ForeignCalibrator_ThrowsNamingCalibrator()
    {
        var act = () => CalibratorSerializer.Serialize(new IdentityCalibrator());
        act.Should().Throw<ArgumentException>().WithParameterName("calibrator");
    }

    private sealed class IdentityCalibrator : ICalibrator
    {
        public CalibrationMethod Method => CalibrationMethod.Platt;

        public double Calibrate(double score) => score;

        public void Calibrate(ReadOnlySpan<double> scores, Span<double> destination) => scores.CopyTo(destination);
    }
}
